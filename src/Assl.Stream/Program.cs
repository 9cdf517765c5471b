using Assl.Stream.Extensions;
using Assl.Stream.Hosting;

if (args.Length > 0 && args[0] == HealthProbe.Verb)
    return await HealthProbe.RunAsync(args.Length > 1 ? args[1] : "http://127.0.0.1:5080");

await AsslServerHost.Build(args).RunAsync();
return 0;

/// <summary>Entry point, public so integration tests can reference the assembly.</summary>
public partial class Program;
