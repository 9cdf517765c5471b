namespace Assl.Model.Training;

/// <summary>The epochs a run went through, and whether it was stopped early.</summary>
public sealed class TrainingHistoryLog(TrainingConfig config)
{
    private readonly List<EpochReport> _epochs = [];

    public TrainingConfig Config { get; } = config;

    public IReadOnlyList<EpochReport> Epochs => _epochs;

    public bool Cancelled { get; set; }

    public double? FinalTop1 => _epochs.LastOrDefault(e => e.TestTop1 is not null)?.TestTop1;

    public double? BestTop1 => _epochs.Where(e => e.TestTop1 is not null).Select(e => e.TestTop1).Max();

    public void Add(EpochReport report) => _epochs.Add(report);
}
