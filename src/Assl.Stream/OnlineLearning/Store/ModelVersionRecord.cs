namespace Assl.Stream.OnlineLearning.Store;

/// <summary>A model version known to the online loop.</summary>
/// <param name="Version">Unique version string (the one events carry).</param>
/// <param name="CheckpointPath">Where the checkpoint file is.</param>
/// <param name="MetricsJson">Evaluation metrics, as JSON text; the store does not look inside.</param>
/// <param name="CreatedUnixUs">When the version was created, Unix µs.</param>
public sealed record ModelVersionRecord(string Version, string CheckpointPath, string MetricsJson, long CreatedUnixUs, ModelStatus Status);
