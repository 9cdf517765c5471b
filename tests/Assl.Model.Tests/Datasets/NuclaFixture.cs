using System.Diagnostics;
using Assl.Model.Datasets;
using Assl.Tests;

namespace Assl.Model.Tests.Datasets;

/// <summary>The whole real N-UCLA folder, loaded once for every test here.</summary>
public sealed class NuclaFixture
{
    private readonly Lazy<(DatasetLoadResult Result, TimeSpan Elapsed)> _load;

    public NuclaFixture()
    {
        _load = new Lazy<(DatasetLoadResult, TimeSpan)>(() =>
        {
            var watch = Stopwatch.StartNew();
            var result = NuclaDataset.Load(RealData.NuclaDirectory);
            return (result, watch.Elapsed);
        });
    }

    /// <summary>Skips the calling test when the data is absent.</summary>
    public DatasetLoadResult Result
    {
        get
        {
            _ = RealData.NuclaDirectory;
            return _load.Value.Result;
        }
    }

    public TimeSpan Elapsed
    {
        get
        {
            _ = Result;
            return _load.Value.Elapsed;
        }
    }
}
