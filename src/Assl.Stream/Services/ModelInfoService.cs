using Assl.Proto.V1;
using Grpc.Core;

namespace Assl.Stream.Services;

/// <summary>Placeholder until a model is served: reports that none is loaded.</summary>
public sealed class ModelInfoService : ModelInfo.ModelInfoBase
{
    public override Task<ModelDescription> GetModel(GetModelRequest request, ServerCallContext context) =>
        Task.FromResult(new ModelDescription { Version = "none", Layout = JointLayout.KinectV120, WindowFrames = 50 });
}
