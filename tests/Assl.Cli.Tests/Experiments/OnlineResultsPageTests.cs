using Assl.Cli.Experiments;

namespace Assl.Cli.Tests.Experiments;

/// <summary>online.json and online.md as the experiment writes them, and the page rewritten from the JSON alone.</summary>
public sealed class OnlineResultsPageTests
{
    private static PhaseResult Phase(double? deployment) => new("none",
        [new ObservedRun("online-1", true, "better", 0.545, 0.508, 0.558, 140, 220, DeploymentTop1: deployment)],
        "online-1", 0.558, 3000, 1500, 0.83, 12000, 13.9, 61.6, 61.5, 8000, 650, 64.3, 800, EndDeploymentTop1: deployment);

    private static OnlineExperimentResult Result(double? startDeployment, double? endDeployment) => new(
        0.554, 0.558, 1, 0, 0, 61.5, 64.3, "start.assl", 26, 191, Phase(endDeployment), null,
        new OnlineExperimentSettings("data", "work", "results", ServerSettings: ["OnlineLearning:FineTune:Steps=150"]),
        "2 cores", "dotnet run -c Release --project src/Assl.Cli -- experiment online", startDeployment, endDeployment);

    [Fact]
    public void TheServedCamerasFiguresAndTheSettingsPassedThroughReachThePageAndSurviveARewrite()
    {
        var folder = Directory.CreateTempSubdirectory("assl-online-page-");
        try
        {
            OnlineResultsPage.Write(Result(0.511, 0.596), folder.FullName);
            var md = File.ReadAllText(OnlineResultsPage.Rewrite(folder.FullName));

            Assert.Contains("| view-3 top-1 at the end (serving model) | 55.8 % (+0.4 points) |", md);
            Assert.Contains("| the same at the end | 59.6 % (+8.5 points) |", md);
            Assert.Contains("| 55.8 | 59.6 | better |", md); // the run's view-3 and view-2 held-out columns
            Assert.Contains("server settings `OnlineLearning:FineTune:Steps=150`", md);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void APhaseThatMeasuredNoLatencyIsWrittenAndRewritten()
    {
        // `experiment online --runs 0` runs the corrupted phase alone: the normal phase ends before any event.
        var folder = Directory.CreateTempSubdirectory("assl-online-page-");
        try
        {
            var empty = Phase(null) with { Runs = [], P50Ms = double.NaN, P99Ms = double.NaN, P99MsWhileTraining = null };
            var (jsonPath, _) = OnlineResultsPage.Write(Result(null, null) with { Normal = empty }, folder.FullName);
            Assert.Contains("\"p99_ms\": \"NaN\"", File.ReadAllText(jsonPath));
            var md = File.ReadAllText(OnlineResultsPage.Rewrite(folder.FullName));
            Assert.Contains("## Normal phase", md);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void ThePageNamesThePromotionRulesTheRunRecordedAndNoneForAFileWithout()
    {
        var folder = Directory.CreateTempSubdirectory("assl-online-page-");
        try
        {
            var policy = new Assl.Model.Promotion.PromotionPolicy { MinAgreement = 0.6, MinAgreementWithoutGain = 0.8 };
            OnlineResultsPage.Write(Result(null, null) with { Promotion = policy }, folder.FullName);
            var md = File.ReadAllText(OnlineResultsPage.Rewrite(folder.FullName));
            Assert.Contains("agreement ≥ 60 %, a validation gain below 80 % agreement", md);

            var older = OnlineResultsPage.Markdown(Result(null, null), findings: null);
            Assert.Contains("predates recording them", older);
            Assert.DoesNotContain("a validation gain below", older);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void AChangeThatRoundsToZeroReadsAsPlusZeroNotMinusPlusZero()
    {
        // 0.511 - 0.5109999… is a hair below zero before rounding.
        var md = OnlineResultsPage.Markdown(Result(0.511, 0.5109999999) with { EndTop1 = 0.554 - 1e-12 }, findings: null);
        Assert.Contains("| view-3 top-1 at the end (serving model) | 55.4 % (+0.0 points) |", md);
        Assert.Contains("| the same at the end | 51.1 % (+0.0 points) |", md);
    }

    [Fact]
    public void ResultsFromBeforeTheServedCameraWasMeasuredLeaveItsRowsOut()
    {
        var folder = Directory.CreateTempSubdirectory("assl-online-page-");
        try
        {
            var (_, mdPath) = OnlineResultsPage.Write(Result(null, null), folder.FullName);
            var md = File.ReadAllText(mdPath);
            Assert.DoesNotContain("the same at the end", md);
            Assert.Contains("| 55.8 | – | better |", md);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
