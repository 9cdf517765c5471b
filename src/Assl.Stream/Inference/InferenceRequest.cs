namespace Assl.Stream.Inference;

/// <summary>A window waiting for inference, with the task its caller awaits.</summary>
public sealed record InferenceRequest(float[] Window, long EnqueuedTimestamp)
{
    public TaskCompletionSource<InferenceResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
