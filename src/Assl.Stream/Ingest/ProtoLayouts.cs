using ModelLayout = Assl.Model.Skeletons.JointLayout;
using ModelLayouts = Assl.Model.Skeletons.JointLayouts;
using ProtoLayout = Assl.Proto.V1.JointLayout;

namespace Assl.Stream.Ingest;

/// <summary>Translates between the wire's <see cref="ProtoLayout"/> enum and the model's layouts.</summary>
public static class ProtoLayouts
{
    /// <summary>The model layout for a wire value, or null for UNSPECIFIED and values this server does not know.</summary>
    public static ModelLayout? ToModel(ProtoLayout layout) => layout switch
    {
        ProtoLayout.KinectV120 => ModelLayouts.KinectV1,
        ProtoLayout.KinectV225 => ModelLayouts.KinectV2,
        ProtoLayout.AzureKinect32 => ModelLayouts.AzureKinect,
        _ => null,
    };

    public static ProtoLayout ToProto(ModelLayout layout) =>
        layout == ModelLayouts.KinectV1 ? ProtoLayout.KinectV120
        : layout == ModelLayouts.KinectV2 ? ProtoLayout.KinectV225
        : layout == ModelLayouts.AzureKinect ? ProtoLayout.AzureKinect32
        : throw new ArgumentException($"Layout {layout.Id} has no wire value.", nameof(layout));
}
