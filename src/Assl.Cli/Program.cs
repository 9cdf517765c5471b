using System.CommandLine;
using Assl.Cli.Commands;
using Assl.Cli.Infrastructure;
using Assl.Model.Tensors;

// Before the first tensor: training and the in-process model keep their activations in the heap (see the type).
NativeAllocator.KeepLargeTensorsInHeap();
using var signals = new TerminationSignals(Console.Error);
return await AsslCommandLine.Build().Parse(args)
    .InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null }, signals.Token);
