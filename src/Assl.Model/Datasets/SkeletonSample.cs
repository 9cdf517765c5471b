using Assl.Model.Skeletons;

namespace Assl.Model.Datasets;

/// <summary>One labelled clip of a dataset.</summary>
/// <param name="Name">The sample's name, e.g. "a01_s01_e00_v01"; samples sort by it.</param>
/// <param name="ClassIndex">0-based class index.</param>
/// <param name="View">Camera the clip was recorded from (N-UCLA: 1..3).</param>
/// <param name="Subject">Performer id (N-UCLA: 1..10).</param>
public sealed record SkeletonSample(string Name, SkeletonSequence Sequence, int ClassIndex, int View, int Subject);
