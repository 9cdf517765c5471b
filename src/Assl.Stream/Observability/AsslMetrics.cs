using Assl.Stream.Inference;
using Prometheus;

namespace Assl.Stream.Observability;

/// <summary>
/// Every metric the server exports, built from one <see cref="IMetricFactory"/> so tests can use a
/// private registry. Labels stay low-cardinality: reason, outcome, model_version; never a body or
/// camera id.
/// </summary>
public sealed class AsslMetrics
{
    public AsslMetrics(IMetricFactory factory)
    {
        FramesReceived = factory.CreateCounter("assl_frames_received_total", "Skeleton frames received from cameras.");
        BodiesRejected = factory.CreateCounter("assl_frames_rejected_total", "Frames or bodies rejected, by reason.",
            new CounterConfiguration { LabelNames = ["reason"] });
        WindowsInferred = factory.CreateCounter("assl_windows_inferred_total", "Windows classified by the model.");
        PaddingRows = factory.CreateCounter("assl_inference_padding_rows_total",
            "Empty rows forward passes ran to reach their batch shape (Inference:PadToShapes): compute spent on no window.");
        WindowsDropped = factory.CreateCounter("assl_windows_dropped_total", "Windows dropped before inference because the queue was full.");
        EventsPublished = factory.CreateCounter("assl_events_published_total", "Action events published, by kind.",
            new CounterConfiguration { LabelNames = ["kind"] });
        EventsDropped = factory.CreateCounter("assl_events_dropped_total", "Events dropped for slow consumers.");
        // The buckets are the shapes padded passes run at (BatchShapes) up to 64, so the histogram shows which shapes the load uses.
        BatchSize = factory.CreateHistogram("assl_inference_batch_size", "Windows per forward pass.",
            new HistogramConfiguration { Buckets = [.. Enumerable.Range(1, 64).Select(BatchShapes.Padded).Distinct().Select(shape => (double)shape), 96, 128, 192, 256] });
        InferenceDuration = factory.CreateHistogram("assl_inference_duration_seconds", "Time of one batched forward pass, preprocessing included.",
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.001, 2, 14) });
        // Absent until first updated, so a platform that cannot measure it shows no series rather than a flat zero.
        InferenceCpuSeconds = factory.CreateCounter("assl_inference_cpu_seconds_total",
            "CPU time of the inference threads (forward passes, libtorch helpers included; Linux only). With process_cpu_seconds_total: the model's share of the server's CPU.",
            new CounterConfiguration { SuppressInitialValue = true });
        FrameToEventLatency = factory.CreateHistogram("assl_frame_to_event_latency_seconds", "From the arrival of a window's newest frame to its event being queued for the client.",
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.001, 2, 14) });
        ActiveStreams = factory.CreateGauge("assl_active_streams", "Open Ingest and Subscribe calls, by kind.",
            new GaugeConfiguration { LabelNames = ["kind"] });
        ActiveBodies = factory.CreateGauge("assl_active_bodies", "Bodies with a live window buffer.");
        QueuedWindows = factory.CreateGauge("assl_inference_queue_windows", "Windows waiting for inference.");
        PseudoLabels = factory.CreateCounter("assl_pseudo_labels_total", "Served windows judged by the pseudo-label gate, by outcome and (smoothed top) class.",
            new CounterConfiguration { LabelNames = ["outcome", "class"] });
        ModelInfo = factory.CreateGauge("assl_model_info", "1 for the model version being served.",
            new GaugeConfiguration { LabelNames = ["model_version"] });
        StoreWrites = factory.CreateCounter("assl_store_writes_total", "Sample-store commands, by outcome: written, dropped (queue full or store unwritable) or failed (the write was tried and failed).",
            new CounterConfiguration { LabelNames = ["outcome"] });
        StoreWindows = factory.CreateGauge("assl_store_windows", "Windows held in the sample store.");
        StoreBytes = factory.CreateGauge("assl_store_bytes", "Bytes the sample store takes on disk (database and write-ahead log).");
        FineTuneRuns = factory.CreateCounter("assl_finetune_runs_total", "Online fine-tuning runs, by outcome: promoted, refused, failed, cancelled.",
            new CounterConfiguration { LabelNames = ["outcome"] });
        FineTuneSteps = factory.CreateCounter("assl_finetune_steps_total", "Training steps taken by online fine-tuning runs: it rises while a run trains.");
        FineTuneCpuSeconds = factory.CreateCounter("assl_finetune_cpu_seconds_total",
            "CPU time of the online fine-tuning thread (training and evaluation, libtorch helpers included; Linux only): what learning costs beside serving.",
            new CounterConfiguration { SuppressInitialValue = true });
        FineTuneDuration = factory.CreateHistogram("assl_finetune_duration_seconds", "Wall time of one fine-tuning run, data loading and evaluation included.",
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(1, 2, 14) });
        CandidateTop1 = factory.CreateGauge("assl_candidate_validation_top1", "Validation top-1 of the latest candidate, and of the model it was measured against.",
            new GaugeConfiguration { LabelNames = ["model"] });
        Promotions = factory.CreateCounter("assl_model_promotions_total", "Serving-model changes, by kind: online (a fine-tuned candidate), operator, rollback.",
            new CounterConfiguration { LabelNames = ["kind"] });
        Refusals = factory.CreateCounter("assl_model_refusals_total", "Candidates refused, by the rule that refused them: collapse, accuracy, agreement.",
            new CounterConfiguration { LabelNames = ["rule"] });
        OnlineLearningActive = factory.CreateGauge("assl_online_learning_active", "1 while the loop may start runs (enabled, not paused, store writable), else 0.");
    }

    public Counter FramesReceived { get; }
    public Counter BodiesRejected { get; }
    public Counter WindowsInferred { get; }
    public Counter PaddingRows { get; }
    public Counter WindowsDropped { get; }
    public Counter EventsPublished { get; }
    public Counter EventsDropped { get; }
    public Histogram BatchSize { get; }
    public Histogram InferenceDuration { get; }
    public Counter InferenceCpuSeconds { get; }
    public Histogram FrameToEventLatency { get; }
    public Gauge ActiveStreams { get; }
    public Gauge ActiveBodies { get; }
    public Gauge QueuedWindows { get; }
    public Gauge ModelInfo { get; }
    public Counter PseudoLabels { get; }
    public Counter StoreWrites { get; }
    public Gauge StoreWindows { get; }
    public Gauge StoreBytes { get; }
    public Counter FineTuneRuns { get; }
    public Counter FineTuneSteps { get; }
    public Counter FineTuneCpuSeconds { get; }
    public Histogram FineTuneDuration { get; }
    public Gauge CandidateTop1 { get; }
    public Counter Promotions { get; }
    public Counter Refusals { get; }
    public Gauge OnlineLearningActive { get; }

    /// <summary>Marks <paramref name="version"/> as the one being served (and no other).</summary>
    public void SetServingVersion(string version, string? previous)
    {
        if (previous is not null) ModelInfo.RemoveLabelled(previous);
        ModelInfo.WithLabels(version).Set(1);
    }
}
