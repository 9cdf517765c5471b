using System.ComponentModel.DataAnnotations;

namespace Assl.Stream.Hosting;

/// <summary>Network-facing limits and access control.</summary>
public sealed class ServerOptions
{
    public const string SectionName = "Server";

    /// <summary>When set, every RPC must carry it in the "x-api-key" header. Empty: ingest is open.</summary>
    public string? ApiKey { get; set; }

    /// <summary>
    /// The key every call of the ModelAdmin service (promote, roll back, fine-tune, pause) must carry in the
    /// "x-admin-key" header, whatever <see cref="ApiKey"/> says: changing the served model is a stronger right
    /// than sending frames. Empty: admin calls are refused (PermissionDenied) with a message saying to set
    /// Server:AdminApiKey, so a server never exposes them by default.
    /// </summary>
    public string? AdminApiKey { get; set; }

    /// <summary>Largest accepted gRPC message. A 32-joint frame with 6 bodies is under 5 KB; 1 MB leaves room and stops abuse.</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public int MaxMessageBytes { get; set; } = 1024 * 1024;

    /// <summary>Concurrent HTTP/2 streams (calls) per connection.</summary>
    [Range(1, 10_000)]
    public int MaxStreamsPerConnection { get; set; } = 100;

    /// <summary>Port of the Prometheus /metrics endpoint, separate from gRPC; 0 turns it off.</summary>
    [Range(0, 65535)]
    public int MetricsPort { get; set; } = 9464;
}
