using Assl.Cli.Commands;

return await AsslCommandLine.Build().Parse(args).InvokeAsync();
