using Assl.Stream.Extensions;

await AsslServerHost.Build(args).RunAsync();

/// <summary>Entry point, public so integration tests can reference the assembly.</summary>
public partial class Program;
