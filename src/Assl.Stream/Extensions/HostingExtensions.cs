using Assl.Stream.Events;
using Assl.Stream.Hosting;
using Assl.Stream.Inference;
using Assl.Stream.Ingest;
using Assl.Stream.Observability;
using Assl.Stream.OnlineLearning.Gate;
using Assl.Stream.OnlineLearning.Loop;
using Assl.Stream.OnlineLearning.Promotion;
using Assl.Stream.OnlineLearning.Store;
using Assl.Stream.Services;
using Assl.Stream.Windowing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using Prometheus;

namespace Assl.Stream.Extensions;

public static class HostingExtensions
{
    public static IHostApplicationBuilder AddAsslStreaming(this IHostApplicationBuilder builder)
    {
        // Optional deployment overrides: configs/server.json (or $ASSL_CONFIG), then ASSL_* environment variables.
        var overrides = Environment.GetEnvironmentVariable("ASSL_CONFIG") ?? Path.Combine("configs", "server.json");
        builder.Configuration.AddJsonFile(Path.GetFullPath(overrides), optional: true, reloadOnChange: false);
        builder.Configuration.AddEnvironmentVariables("ASSL_");

        builder.Services.AddOptionsWithSection<InferenceOptions>(builder, InferenceOptions.SectionName);
        builder.Services.AddOptionsWithSection<BatchingOptions>(builder, BatchingOptions.SectionName);
        builder.Services.AddOptionsWithSection<ServerOptions>(builder, ServerOptions.SectionName);
        builder.Services.AddOptionsWithSection<IngestOptions>(builder, IngestOptions.SectionName);
        builder.Services.AddOptionsWithSection<WindowingOptions>(builder, WindowingOptions.SectionName);
        builder.Services.AddOptionsWithSection<EventOptions>(builder, EventOptions.SectionName);
        builder.Services.AddSingleton<IValidateOptions<IngestOptions>, ValidateIngestOptions>();
        builder.Services.AddSingleton<IValidateOptions<WindowingOptions>, ValidateWindowingOptions>();
        builder.Services.AddSingleton<IValidateOptions<EventOptions>, ValidateEventOptions>();
        builder.Services.AddOptionsWithSection<StoreOptions>(builder, StoreOptions.SectionName);
        builder.Services.AddSingleton<IValidateOptions<StoreOptions>, ValidateStoreOptions>();
        builder.Services.AddOptionsWithSection<PseudoLabelOptions>(builder, PseudoLabelOptions.SectionName);
        builder.Services.AddSingleton<IValidateOptions<PseudoLabelOptions>, ValidatePseudoLabelOptions>();
        builder.Services.AddSingleton<IValidateOptions<PseudoLabelOptions>, ValidatePseudoLabelThresholds>();
        builder.Services.AddOptionsWithSection<OnlineLearningOptions>(builder, OnlineLearningOptions.SectionName);
        builder.Services.AddSingleton<IValidateOptions<OnlineLearningOptions>, ValidateOnlineLearningOptions>();
        builder.Services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<OnlineLearningOptions>>().Value;
            return new ModelRegistry(options.ResolveModelsDirectory(sp.GetRequiredService<IHostEnvironment>().ContentRootPath), options.KeepVersions,
                sp.GetRequiredService<ILogger<ModelRegistry>>());
        });
        builder.Services.AddSingleton(sp => new PseudoLabelQuota(sp.GetRequiredService<IOptions<PseudoLabelOptions>>().Value.MaxPerClass));
        builder.Services.AddSingleton(sp => new ClassThresholds(sp.GetRequiredService<IOptions<PseudoLabelOptions>>().Value));

        var server = builder.Configuration.GetSection(ServerOptions.SectionName).Get<ServerOptions>() ?? new ServerOptions();
        builder.Services.Configure<KestrelServerOptions>(o =>
        {
            // gRPC without TLS needs HTTP/2 prior knowledge, so cleartext endpoints speak HTTP/2 only.
            o.ConfigureEndpointDefaults(listen => listen.Protocols = HttpProtocols.Http2);
            o.Limits.Http2.MaxStreamsPerConnection = server.MaxStreamsPerConnection;
        });

        Metrics.ConfigureMeterAdapter(o => o.InstrumentFilterPredicate = ExportedMeters.Include);
        builder.Services.AddSingleton(_ =>
        {
            var metrics = new AsslMetrics(Metrics.DefaultFactory);
            ThreadCpuExport.Register(Metrics.DefaultRegistry,
                (InferenceBatcher.ThreadNamePrefix, metrics.InferenceCpuSeconds), (FineTuneThread.Name, metrics.FineTuneCpuSeconds));
            return metrics;
        });
        builder.Services.AddSingleton(ServingModelFactory.Load);
        builder.Services.AddSingleton<IInferenceEngine>(sp =>
            TorchInferenceEngine.From(sp.GetRequiredService<ServingModel>(), sp.GetRequiredService<IOptions<InferenceOptions>>().Value,
                sp.GetRequiredService<IOptions<BatchingOptions>>().Value.Workers));
        builder.Services.AddSingleton<InferenceBatcher>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<InferenceBatcher>());
        builder.Services.AddHostedService<ModelWarmup>();
        builder.Services.AddSingleton(sp =>
        {
            // The window length is the model's T, known only once the model is loaded; the assembler checks stride against it.
            var model = sp.GetRequiredService<ServingModel>();
            return new WindowAssembler(model.Layout, model.Frames, sp.GetRequiredService<IOptions<WindowingOptions>>().Value,
                sp.GetRequiredService<IOptions<PseudoLabelOptions>>().Value.SegmentFramesToKeep);
        });
        builder.Services.AddSingleton(sp =>
        {
            var metrics = sp.GetRequiredService<AsslMetrics>();
            return new EventRouter(sp.GetRequiredService<IOptions<EventOptions>>().Value, _ => metrics.EventsDropped.Inc());
        });

        // The sample store of the online loop: SQLite by default, created and migrated when the server starts.
        builder.Services.AddSingleton<ISampleStore>(sp =>
            SqliteSampleStore.Open(sp.GetRequiredService<IOptions<StoreOptions>>().Value, sp.GetRequiredService<IHostEnvironment>().ContentRootPath));
        builder.Services.AddSingleton(sp => new StoreWriter(sp.GetRequiredService<ISampleStore>(), sp.GetRequiredService<IOptions<StoreOptions>>(),
            sp.GetRequiredService<AsslMetrics>(), sp.GetRequiredService<ILogger<StoreWriter>>()));
        builder.Services.AddHostedService(sp => sp.GetRequiredService<StoreWriter>());
        builder.Services.AddSingleton<OnlineLearningLoop>();
        builder.Services.AddSingleton<IOnlineLearningControl>(sp => sp.GetRequiredService<OnlineLearningLoop>());
        builder.Services.AddHostedService(sp => sp.GetRequiredService<OnlineLearningLoop>());

        builder.Services.AddSingleton<ApiKeyInterceptor>();
        builder.Services.AddGrpc(o =>
        {
            o.MaxReceiveMessageSize = server.MaxMessageBytes;
            o.EnableDetailedErrors = builder.Environment.IsDevelopment();
            o.Interceptors.Add<ApiKeyInterceptor>();
        });
        builder.Services.AddGrpcHealthChecks().AddCheck<ModelHealthCheck>("model").AddCheck<StoreHealthCheck>("store")
            .AddCheck<OnlineLearningHealthCheck>("online-learning");
        builder.Services.AddGrpcReflection();
        if (server.MetricsPort > 0)
            builder.Services.AddMetricServer(o => o.Port = (ushort)server.MetricsPort);
        return builder;
    }

    public static WebApplication MapAsslEndpoints(this WebApplication app)
    {
        app.MapGrpcService<ActionRecognitionService>();
        app.MapGrpcService<AdminService>();
        app.MapGrpcHealthChecksService();
        app.MapGrpcReflectionService();
        return app;
    }

    /// <summary>Binds a section, validates its DataAnnotations, and stops the host at start-up when it is wrong.</summary>
    private static void AddOptionsWithSection<T>(this IServiceCollection services, IHostApplicationBuilder builder, string section)
        where T : class =>
        services.AddOptions<T>().Bind(builder.Configuration.GetSection(section)).ValidateDataAnnotations().ValidateOnStart();
}
