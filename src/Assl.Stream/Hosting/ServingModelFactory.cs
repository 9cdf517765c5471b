using Assl.Model.Training;
using Assl.Stream.Inference;
using Assl.Stream.Observability;
using Assl.Stream.OnlineLearning.Promotion;
using Microsoft.Extensions.Options;

namespace Assl.Stream.Hosting;

/// <summary>Loads the configured model at start-up, with errors that say what to fix.</summary>
public static class ServingModelFactory
{
    public static ServingModel Load(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<InferenceOptions>>().Value;
        var logger = services.GetRequiredService<ILogger<ServingModel>>();
        var path = Path.IsPathRooted(options.ModelPath) ? options.ModelPath : Path.Combine(AppContext.BaseDirectory, options.ModelPath);
        var device = AsslTrainer.ResolveDevice(options.Device);
        // A model the online loop promoted (and a restart must keep serving) takes precedence over the configured file.
        var model = services.GetRequiredService<ModelRegistry>().LoadStartupModel(path, device);
        StreamLog.ModelLoaded(logger, model.Version, model.Layout.Id, model.Frames, model.ClassNames.Count, model.SourcePath ?? path, options.Device);
        return model;
    }
}
