using Assl.Model.Datasets;
using Assl.Model.Preprocessing;
using Assl.Stream.OnlineLearning.Store;
using Assl.Tests;

namespace Assl.Stream.Tests.OnlineLearning;

/// <summary>
/// Fills a sample store with windows cut from real N-UCLA view-2 sequences (resampled to the model's
/// 50 frames, raw positions as the server stores them), as if the server had served them.
/// </summary>
internal static class StoreSeeds
{
    private static readonly Lazy<IReadOnlyList<SkeletonSample>> View2 = new(() =>
        NuclaDataset.Load(RealData.NuclaDirectory).Samples.Where(s => s.View == 2).OrderBy(s => s.Name, StringComparer.Ordinal).ToArray());

    public static IReadOnlyList<SkeletonSample> Samples => View2.Value;

    /// <summary>Creates (or extends) the store at <paramref name="path"/>: <paramref name="pseudo"/> windows pseudo-labelled with their true class, <paramref name="unlabelled"/> unlabelled.</summary>
    public static async Task SeedAsync(string path, int pseudo, int unlabelled)
    {
        using var store = SqliteSampleStore.Open(new StoreOptions { Path = path }, Path.GetTempPath());
        var commands = new List<StoreCommand>();
        var samples = Samples;
        for (int i = 0; i < pseudo + unlabelled; i++)
        {
            var s = samples[(i * 7) % samples.Count];
            var positions = TemporalResampler.Resample(s.Sequence, 50).ToArray();
            var window = new SampleWindow("seed-cam", (ulong)i, i * 1_000_000L, i * 1_000_000L + 1_633_333, s.Sequence.Layout.Id, positions,
                DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000);
            commands.Add(i < pseudo
                ? StoreCommand.AddPseudoLabelled(window, new PseudoLabel(s.ClassIndex, 0.99f, "seed"))
                : StoreCommand.AddUnlabelled(window));
        }
        await store.WriteAsync(commands);
    }
}
