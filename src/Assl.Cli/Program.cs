using System.CommandLine;
using Assl.Cli.Commands;
using Assl.Cli.Infrastructure;

using var signals = new TerminationSignals(Console.Error);
return await AsslCommandLine.Build().Parse(args)
    .InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null }, signals.Token);
