using Assl.Proto.V1;
using Grpc.Core;

namespace Assl.Stream.Services;

/// <summary>
/// Placeholder until a model is served: answers GetModel with "none loaded". Ingest and Subscribe
/// keep the generated base's UNIMPLEMENTED answer until the streaming service replaces this class.
/// </summary>
public sealed class ModelInfoService : ActionRecognition.ActionRecognitionBase
{
    public override Task<ModelDescription> GetModel(GetModelRequest request, ServerCallContext context) =>
        Task.FromResult(new ModelDescription { Version = "none", Layout = JointLayout.KinectV120, WindowFrames = 50 });
}
