namespace Assl.Stream.OnlineLearning.Store;

/// <summary>Windows deleted by one retention pass.</summary>
public readonly record struct RetentionResult(int DeletedByAge, int DeletedByCount)
{
    public int Total => DeletedByAge + DeletedByCount;
}
