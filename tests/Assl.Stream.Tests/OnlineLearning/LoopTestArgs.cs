using Assl.Tests;

namespace Assl.Stream.Tests.OnlineLearning;

/// <summary>Server arguments for a small, fast online loop on the real N-UCLA data, in its own files.</summary>
internal static class LoopTestArgs
{
    /// <summary>A promotion policy that takes any candidate: for tests about what a promotion does, not whether it happens.</summary>
    public static readonly string[] AcceptAnything =
    [
        "--OnlineLearning:Promotion:Tolerance=1", "--OnlineLearning:Promotion:MinAgreement=0",
        "--OnlineLearning:Promotion:MinAgreementWithoutGain=0",
        "--OnlineLearning:Promotion:MinRelativeEntropy=0", "--OnlineLearning:Promotion:MaxClassShareIncrease=1",
    ];

    /// <summary>5 % of view 1 labelled, subject 10 for validation, a handful of small steps, a fast poll.</summary>
    public static string[] For(string storePath, string modelsPath, int steps, params string[] extra) =>
    [
        "--Store:Path=" + storePath,
        "--OnlineLearning:ModelsDirectory=" + modelsPath,
        "--OnlineLearning:DataPath=" + RealData.NuclaDirectory,
        "--OnlineLearning:LabelledViews:0=1",
        "--OnlineLearning:LabelRatio=0.05",
        "--OnlineLearning:ValidationSubjects:0=10",
        "--OnlineLearning:MinPseudoLabelled=10",
        "--OnlineLearning:PseudoLabelledPerClass=10",
        "--OnlineLearning:UnlabelledSamples=40",
        "--OnlineLearning:PollSeconds=0.1",
        "--OnlineLearning:FineTune:BatchSize=8",
        "--OnlineLearning:FineTune:Steps=" + steps,
        .. extra,
    ];
}
