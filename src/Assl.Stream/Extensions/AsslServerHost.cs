namespace Assl.Stream.Extensions;

/// <summary>
/// Builds the server the same way for `dotnet run`, `assl serve` and integration tests, so tests
/// exercise the real composition rather than a copy of it.
/// </summary>
public static class AsslServerHost
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            // The embedded defaults ship beside the binary, so the server starts from any working directory.
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.AddAsslStreaming();
        configure?.Invoke(builder);

        var app = builder.Build();
        app.MapAsslEndpoints();
        return app;
    }
}
