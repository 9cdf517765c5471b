using System.Globalization;
using System.Text;

namespace Assl.Cli.Clients;

/// <summary>One sample of the Prometheus text exposition format: a name, its labels and a value.</summary>
public sealed record PrometheusSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

/// <summary>The samples of one scrape, with the look-ups a load test needs.</summary>
public sealed class MetricsSnapshot(IReadOnlyList<PrometheusSample> samples)
{
    public static MetricsSnapshot Empty { get; } = new([]);

    public IReadOnlyList<PrometheusSample> Samples { get; } = samples;

    /// <summary>The sum over every label set of <paramref name="name"/>, or NaN when the metric is absent.</summary>
    public double Sum(string name)
    {
        var matching = Samples.Where(s => s.Name == name).ToArray();
        return matching.Length == 0 ? double.NaN : matching.Sum(s => s.Value);
    }

    /// <summary>The value of <paramref name="name"/> with exactly these labels (none by default), or NaN.</summary>
    public double Value(string name, params (string Key, string Value)[] labels) =>
        Samples.FirstOrDefault(s => s.Name == name && s.Labels.Count == labels.Length
                                    && labels.All(l => s.Labels.TryGetValue(l.Key, out var v) && v == l.Value))?.Value ?? double.NaN;
}

/// <summary>
/// Reads a Prometheus /metrics endpoint (text format 0.0.4): comments and HELP/TYPE lines are skipped,
/// each sample line is <c>name{label="value",...} value [timestamp]</c>.
/// </summary>
public sealed class PrometheusScraper(HttpClient http, Uri url)
{
    public Uri Url { get; } = url;

    public async Task<MetricsSnapshot> ScrapeAsync(CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        var text = await http.GetStringAsync(Url, timeout.Token);
        return Parse(text);
    }

    /// <summary>Like <see cref="ScrapeAsync"/>, but null when the endpoint cannot be read (the caller reports it once).</summary>
    public async Task<MetricsSnapshot?> TryScrapeAsync(CancellationToken ct)
    {
        try
        {
            return await ScrapeAsync(ct);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            return null;
        }
    }

    public static MetricsSnapshot Parse(string text)
    {
        var samples = new List<PrometheusSample>();
        int lineNumber = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNumber++;
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#') continue;
            samples.Add(ParseLine(line, lineNumber));
        }
        return new MetricsSnapshot(samples);
    }

    private static PrometheusSample ParseLine(string line, int lineNumber)
    {
        int i = 0;
        while (i < line.Length && line[i] != '{' && !char.IsWhiteSpace(line[i])) i++;
        var name = line[..i];
        if (name.Length == 0) throw Bad(lineNumber, "missing metric name");

        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (i < line.Length && line[i] == '{')
        {
            i++;
            while (true)
            {
                while (i < line.Length && (line[i] == ',' || line[i] == ' ')) i++;
                if (i >= line.Length) throw Bad(lineNumber, "unterminated label set");
                if (line[i] == '}') { i++; break; }
                int eq = line.IndexOf('=', i);
                if (eq < 0 || eq + 1 >= line.Length || line[eq + 1] != '"') throw Bad(lineNumber, "expected label=\"value\"");
                var key = line[i..eq].Trim();
                var value = new StringBuilder();
                i = eq + 2;
                // Label values escape backslash, double quote and newline.
                for (; i < line.Length && line[i] != '"'; i++)
                {
                    if (line[i] == '\\' && i + 1 < line.Length)
                    {
                        i++;
                        value.Append(line[i] == 'n' ? '\n' : line[i]);
                    }
                    else value.Append(line[i]);
                }
                if (i >= line.Length) throw Bad(lineNumber, "unterminated label value");
                i++;
                labels[key] = value.ToString();
            }
        }

        var rest = line[i..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (rest.Length == 0) throw Bad(lineNumber, $"no value for {name}");
        return new PrometheusSample(name, labels, ParseValue(rest[0], lineNumber));
    }

    private static double ParseValue(string text, int lineNumber) => text switch
    {
        "+Inf" or "Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        "NaN" => double.NaN,
        _ => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : throw Bad(lineNumber, $"bad value '{text}'"),
    };

    private static InvalidDataException Bad(int line, string what) => new($"Prometheus text format, line {line}: {what}.");
}
