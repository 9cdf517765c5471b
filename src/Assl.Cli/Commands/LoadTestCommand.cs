using System.CommandLine;
using Assl.Cli.Clients;
using Assl.Cli.Infrastructure;

namespace Assl.Cli.Commands;

/// <summary>
/// `assl loadtest`: N concurrent camera streams of looping N-UCLA sequences against a running server;
/// reports sent frames/s, inferred windows/s, frame→event latency percentiles, dropped windows, server
/// memory and CPU, and the model's raw batched throughput for comparison.
/// </summary>
public static class LoadTestCommand
{
    public static Command Create()
    {
        var server = ClientOptions.Server();
        var apiKey = ClientOptions.ApiKey();
        var streams = new Option<int>("--streams") { Description = "Concurrent camera streams.", DefaultValueFactory = _ => 8 };
        var fps = new Option<double>("--fps") { Description = "Frames per second per stream.", DefaultValueFactory = _ => 30 };
        var duration = new Option<double>("--duration") { Description = "Seconds measured (after the warm-up).", DefaultValueFactory = _ => 20 };
        var warmup = new Option<double>("--warmup") { Description = "Seconds streamed before measuring starts.", DefaultValueFactory = _ => 5 };
        var saturate = new Option<bool>("--saturate") { Description = "Find the most windows/s sustained: paced steps of replay speed from live up, ×1.4 each, until windows drop, p99 passes --max-latency-ms or throughput stops rising; then three steps that bisect the gap between the last sustained speed and the first that was not." };
        var maxLatency = new Option<double>("--max-latency-ms") { Description = "With --saturate: the p99 a step may reach and still count as sustained.", DefaultValueFactory = _ => 1000 };
        var start = new Option<StreamStart>("--start") { Description = "staggered: cameras switched on over one second (as at a real site); lockstep: all at once (burst worst case).", DefaultValueFactory = _ => StreamStart.Staggered };
        var metricsUrl = new Option<string?>("--metrics-url") { Description = "The server's Prometheus endpoint (default: the server's host, port 9464, /metrics); 'none' to skip." };
        var data = new Option<DirectoryInfo?>("--data") { Description = "N-UCLA all_sqe folder (default: $ASSL_DATA or ../shared/data)." };
        var files = new Option<int>("--files") { Description = "Sequences to load and loop (long enough for a window).", DefaultValueFactory = _ => 120 };
        var model = new Option<FileInfo?>("--model") { Description = "Model for the raw in-process throughput (default: the shipped model)." };
        var rawSeconds = new Option<double>("--raw-seconds") { Description = "Seconds per raw in-process throughput measurement (with --saturate: one per way of running passes and batch size, then one before and after every step); 0 skips them.", DefaultValueFactory = _ => 5 };
        var speed = new Option<double>("--speed") { Description = "Camera time per wall time (1 = live; 5 = each camera's clips play five times faster, five times the windows). With --saturate: the first step's.", DefaultValueFactory = _ => 1 };
        var framesPerMessage = new Option<int>("--frames-per-message") { Description = "1 (default): each camera sends every frame as its own Ingest message, as live cameras do. More: frames go out that many at a time on IngestBatched, as a gateway or a fast replay sends them.", DefaultValueFactory = _ => 1 };
        var repeats = new Option<int>("--repeats") { Description = "With --saturate: run the sustained step this many times more once found, each against the raw measurements around it, and report their ratios to raw and the median (this host's speed alone moves by a third within minutes).", DefaultValueFactory = _ => 0 };
        var json = new Option<FileInfo?>("--json") { Description = "Write the result as one JSON object here." };
        var append = new Option<FileInfo?>("--append-results") { Description = "Add the result to this JSON list (e.g. docs/results/serving.json), replacing the same streams/fps/saturated." };
        var pageOnly = new Option<bool>("--page-only") { Description = "Only rewrite the .md page beside --append-results from its JSON (and serving-findings.md)." };
        var command = new Command("loadtest", "Load-test a running server with concurrent camera streams and report throughput, latency and resources.")
        {
            server, apiKey, streams, fps, duration, warmup, saturate, maxLatency, start, metricsUrl, data, files, model, rawSeconds, speed, framesPerMessage, repeats, json, append, pageOnly,
        };
        command.SetAction((parse, ct) => Verb.Guard(async () =>
        {
            if (parse.GetValue(pageOnly))
            {
                var list = parse.GetValue(append) ?? throw new ArgumentException("--page-only needs --append-results <serving.json>.");
                Console.WriteLine($"wrote {ServingResultsPage.Write(list.FullName)}");
                return Verb.Ok;
            }
            var settings = new LoadTestSettings(parse.GetValue(streams), parse.GetValue(fps), TimeSpan.FromSeconds(parse.GetValue(duration)),
                TimeSpan.FromSeconds(Math.Max(0, parse.GetValue(warmup))), parse.GetValue(saturate), TimeSpan.FromSeconds(Math.Max(0, parse.GetValue(rawSeconds))),
                parse.GetValue(start), parse.GetValue(maxLatency), Speed: parse.GetValue(speed), FramesPerMessage: parse.GetValue(framesPerMessage),
                Repeats: parse.GetValue(repeats));
            settings.ThrowIfInvalid();
            var modelPath = parse.GetValue(model)?.FullName ?? InProcessServer.ShippedModel();
            if (settings.RawSeconds > TimeSpan.Zero && !File.Exists(modelPath))
                throw new FileNotFoundException($"Model not found: {modelPath} (pass --model, or --raw-seconds 0).", modelPath);

            using var connection = AsslConnection.Open(parse.GetValue(server)!, parse.GetValue(apiKey));
            var description = await connection.DescribeAsync(ct);
            var clips = LoadClips(parse.GetValue(data)?.FullName ?? DataLocator.DefaultNucla(), parse.GetValue(files), description.WindowFrames);
            Console.WriteLine($"{connection.Address}: model {description.Version}; {clips.Count} sequences of {description.WindowFrames}+ frames loaded");

            using var http = new HttpClient();
            var scraper = MetricsScraper(parse.GetValue(metricsUrl), connection.Address, http);
            var test = new LoadTest(connection, scraper, Console.Out);
            var result = await test.RunAsync(clips, settings, modelPath, ct);
            LoadTest.WriteTable(result, test.Events, test.Rejections, Console.Out);
            if (parse.GetValue(json) is { } j)
            {
                result.WriteJson(j.FullName);
                Console.WriteLine($"wrote {j.FullName}");
            }
            if (parse.GetValue(append) is { } a)
            {
                result.AppendTo(a.FullName);
                Console.WriteLine($"added to {a.FullName}; rewrote {ServingResultsPage.Write(a.FullName)}");
            }
            return Verb.Ok;
        }));
        return command;
    }

    private static PrometheusScraper? MetricsScraper(string? url, Uri server, HttpClient http)
    {
        if (string.Equals(url, "none", StringComparison.OrdinalIgnoreCase)) return null;
        var address = url ?? $"http://{server.Host}:9464/metrics";
        if (!Uri.TryCreate(address, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new ArgumentException($"--metrics-url must be an http(s) URL or 'none', got '{address}'.");
        return new PrometheusScraper(http, uri);
    }

    /// <summary>N-UCLA sequences long enough for at least one window, spread evenly over the whole set.</summary>
    private static IReadOnlyList<ReplayClip> LoadClips(string dataDirectory, int count, int windowFrames)
    {
        if (!Directory.Exists(dataDirectory))
            throw new DirectoryNotFoundException($"N-UCLA data not found at {dataDirectory}: pass --data <all_sqe folder> or set ASSL_DATA.");
        if (count < 1) throw new ArgumentException($"--files must be at least 1, got {count}.");
        var clips = ReplayClip.Expand([dataDirectory]).Select(ReplayClip.Load).Where(c => c.LongestBodyFrames >= windowFrames).ToArray();
        if (clips.Length == 0) throw new InvalidDataException($"No sequence in {dataDirectory} has {windowFrames} frames or more.");
        double step = Math.Max(1.0, clips.Length / (double)count);
        return Enumerable.Range(0, Math.Min(count, clips.Length)).Select(i => clips[(int)(i * step)]).ToArray();
    }
}
