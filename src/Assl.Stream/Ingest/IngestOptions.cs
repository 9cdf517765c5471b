using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Assl.Stream.Ingest;

/// <summary>Limits applied to every incoming <see cref="Proto.V1.SkeletonFrame"/>.</summary>
public sealed class IngestOptions
{
    public const string SectionName = "Ingest";

    /// <summary>
    /// Bodies accepted per frame; the ones past it are rejected (TOO_MANY_BODIES). Kinect v2 and
    /// Azure Kinect track at most 6 people, so more means a broken or hostile client.
    /// </summary>
    [Range(1, 64)]
    public int MaxBodiesPerFrame { get; set; } = 6;
}

/// <summary>Source-generated DataAnnotations validator; register with <c>ValidateOnStart()</c>.</summary>
[OptionsValidator]
public sealed partial class ValidateIngestOptions : IValidateOptions<IngestOptions>;
