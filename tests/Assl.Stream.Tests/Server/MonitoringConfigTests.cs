using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Assl.Tests;
using YamlDotNet.RepresentationModel;

namespace Assl.Stream.Tests.Server;

/// <summary>
/// configs/monitoring holds what operators load into Prometheus and Grafana: every series they name must be one a real
/// server exports, so that renaming a metric breaks this test rather than a site's alerts.
/// </summary>
[Collection("Server")]
public sealed partial class MonitoringConfigTests
{
    private static string Monitoring(string file) => Path.Combine(RealData.RepositoryRoot, "configs", "monitoring", file);

    /// <summary>Every rule, as Prometheus reads the file: groups of rules, each an alert with an expression.</summary>
    private static List<YamlMappingNode> AlertRules()
    {
        var yaml = new YamlStream();
        using (var reader = new StreamReader(Monitoring("assl-alerts.yml"))) yaml.Load(reader);
        var groups = (YamlSequenceNode)((YamlMappingNode)yaml.Documents.Single().RootNode)["groups"];
        return [.. groups.Cast<YamlMappingNode>().SelectMany(g => ((YamlSequenceNode)g["rules"]).Cast<YamlMappingNode>())];
    }

    private static string Text(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(key, out var value) ? ((YamlScalarNode)value).Value ?? "" : "";

    private static List<(string Title, string Expr)> DashboardQueries()
    {
        using var dashboard = JsonDocument.Parse(File.ReadAllText(Monitoring("assl-dashboard.json")));
        return [.. dashboard.RootElement.GetProperty("panels").EnumerateArray()
            .Where(p => p.TryGetProperty("targets", out _))
            .SelectMany(p => p.GetProperty("targets").EnumerateArray().Select(t => (p.GetProperty("title").GetString()!, t.GetProperty("expr").GetString()!)))];
    }

    [Fact]
    public void EveryAlertHasAnExpressionASeverityAndWordsForThePersonPaged()
    {
        var rules = AlertRules();
        Assert.True(rules.Count >= 5, $"{rules.Count} rules");
        Assert.Equal(rules.Count, rules.Select(r => Text(r, "alert")).Distinct().Count());
        foreach (var rule in rules)
        {
            string name = Text(rule, "alert");
            Assert.Matches("^Assl[A-Z][A-Za-z]+$", name);
            Assert.False(string.IsNullOrWhiteSpace(Text(rule, "expr")), name);
            if (rule.Children.ContainsKey("for")) Assert.Matches(@"^\d+[smh]$", Text(rule, "for"));
            Assert.Contains(Text((YamlMappingNode)rule["labels"], "severity"), new[] { "critical", "warning", "info" });
            var annotations = (YamlMappingNode)rule["annotations"];
            Assert.False(string.IsNullOrWhiteSpace(Text(annotations, "summary")), name);
            Assert.False(string.IsNullOrWhiteSpace(Text(annotations, "description")), name);
            // A setting an alert tells the operator to change must be one the server has.
            foreach (Match setting in SettingName().Matches(Text(annotations, "description")))
            {
                Assert.True(ExampleConfigurationTests.Sections.TryGetValue(setting.Groups[1].Value, out var options), $"{name}: no section {setting.Value}");
                Assert.NotNull(options.GetProperty(setting.Groups[2].Value));
            }
        }
    }

    [Fact]
    public async Task EverySeriesTheAlertsAndTheDashboardNameIsOneTheServerExports()
    {
        int port = LoopbackPort.Free();
        var app = AsslServerFixture.BuildServer(new StringBuilder(), $"--Server:MetricsPort={port}");
        await app.StartAsync();
        string text;
        try
        {
            using var http = new HttpClient();
            text = await MetricsEndpointTests.GetWhenListeningAsync(http, $"http://127.0.0.1:{port}/metrics");
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }

        // Declared families (a metric with labels but no series yet still has its TYPE line), with a histogram's series.
        var exported = new HashSet<string>();
        foreach (Match family in DeclaredFamily().Matches(text))
        {
            string name = family.Groups[1].Value;
            exported.Add(name);
            if (family.Groups[2].Value == "histogram") exported.UnionWith([name + "_bucket", name + "_sum", name + "_count"]);
        }
        if (!Assl.Stream.Observability.NamedThreadsCpuTime.IsSupported)
            exported.UnionWith(["assl_inference_cpu_seconds_total", "assl_finetune_cpu_seconds_total"]); // Linux only: the panel stays empty
        var named = AlertRules().Select(r => (Where: "alert " + Text(r, "alert"), Expr: Text(r, "expr")))
            .Concat(DashboardQueries().Select(q => (Where: "panel " + q.Title, Expr: q.Expr)))
            .ToList();
        Assert.True(named.Count >= 20, $"{named.Count} queries");
        var missing = named
            .SelectMany(q => SeriesName().Matches(q.Expr).Select(m => (q.Where, Series: m.Value)))
            .Where(q => !exported.Contains(q.Series))
            .Select(q => $"{q.Where}: {q.Series}")
            .Distinct()
            .ToList();
        Assert.Empty(missing);
        // The CPU split needs the per-thread counters, which only Linux provides.
        if (Assl.Stream.Observability.NamedThreadsCpuTime.IsSupported)
            Assert.Contains("assl_finetune_cpu_seconds_total", exported);
    }

    [SkippableFact]
    public async Task TheAlertRulesPassTheirOwnUnitTests()
    {
        // Prometheus's own tool: synthetic series in assl-alerts.test.yml, and which alerts must fire when, with their words.
        var promtool = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, "promtool")).FirstOrDefault(File.Exists);
        Skip.If(promtool is null, "promtool is not installed (Debian: apt-get install prometheus)");
        var run = new System.Diagnostics.ProcessStartInfo(promtool!, ["test", "rules", "assl-alerts.test.yml"])
        {
            WorkingDirectory = Path.GetDirectoryName(Monitoring("assl-alerts.test.yml"))!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = System.Diagnostics.Process.Start(run)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        Assert.True(process.ExitCode == 0, $"promtool test rules failed:\n{await output}\n{await errors}");
        Assert.Contains("SUCCESS", await output + await errors);
    }

    [GeneratedRegex(@"^# TYPE (\w+) (\w+)$", RegexOptions.Multiline)]
    private static partial Regex DeclaredFamily();

    /// <summary>The series a query reads: Assl's own and the process's (Prometheus's own `up` aside).</summary>
    [GeneratedRegex(@"\b(?:assl|process)_[a-z0-9_]+\b")]
    private static partial Regex SeriesName();

    [GeneratedRegex(@"\b([A-Z][A-Za-z]+):([A-Z][A-Za-z]+)\b")]
    private static partial Regex SettingName();
}
