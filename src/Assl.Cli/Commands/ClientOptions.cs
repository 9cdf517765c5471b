using System.CommandLine;

namespace Assl.Cli.Commands;

/// <summary>Options every client verb shares, spelled the same everywhere.</summary>
internal static class ClientOptions
{
    public const string DefaultServer = "http://127.0.0.1:5080";

    public static Option<string> Server() =>
        new("--server") { Description = "The server's address.", DefaultValueFactory = _ => DefaultServer };

    public static Option<string?> ApiKey() =>
        new("--api-key") { Description = "The server's API key (sent as x-api-key); default $ASSL_API_KEY.", DefaultValueFactory = _ => Environment.GetEnvironmentVariable("ASSL_API_KEY") };

    public static Option<string?> AdminKey() =>
        new("--admin-key") { Description = "The server's admin key (Server:AdminApiKey, sent as x-admin-key); default $ASSL_ADMIN_KEY.", DefaultValueFactory = _ => Environment.GetEnvironmentVariable("ASSL_ADMIN_KEY") };
}
