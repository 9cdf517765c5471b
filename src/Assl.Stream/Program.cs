using Assl.Stream.Extensions;
using Assl.Stream.Hosting;
using Assl.Model.Tensors;

if (args.Length > 0 && args[0] == HealthProbe.Verb)
    return await HealthProbe.RunAsync(args.Length > 1 ? args[1] : "http://127.0.0.1:5080");

// Before the model loads: batches and fine-tuning steps reuse heap memory instead of faulting in fresh mappings.
NativeAllocator.KeepLargeTensorsInHeap();
await AsslServerHost.Build(args).RunAsync();
return 0;

/// <summary>Entry point, public so integration tests can reference the assembly.</summary>
public partial class Program;
