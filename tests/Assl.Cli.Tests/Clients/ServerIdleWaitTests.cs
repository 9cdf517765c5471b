using System.Net;
using Assl.Cli.Clients;

namespace Assl.Cli.Tests.Clients;

public sealed class ServerIdleWaitTests
{
    /// <summary>Serves one exposition per scrape, in order, repeating the last; counts the scrapes.</summary>
    private sealed class ScriptedMetrics(params string[] pages) : HttpMessageHandler
    {
        public int Scrapes { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var page = pages[Math.Min(Scrapes++, pages.Length - 1)];
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(page) });
        }
    }

    private static string Page(double queued, double inferred) =>
        $"assl_inference_queue_windows {queued}\nassl_windows_inferred_total {inferred}\n";

    private static PrometheusScraper Scraper(HttpMessageHandler handler) => new(new HttpClient(handler), new Uri("http://127.0.0.1:9/metrics"));

    [Fact]
    public async Task WaitsUntilTheQueueIsEmptyAndNothingMoreIsInferred()
    {
        // A backlog drains (40 → 10 → 0 queued) while the last passes still run (140 → 150), then nothing moves.
        var handler = new ScriptedMetrics(Page(40, 100), Page(10, 130), Page(0, 140), Page(0, 150), Page(0, 150));
        var output = new StringWriter();

        bool idle = await ServerIdleWait.WaitAsync(Scraper(handler), output, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(1), CancellationToken.None);

        Assert.True(idle);
        Assert.Equal(5, handler.Scrapes);
        Assert.Contains("clear 40 windows", output.ToString());
    }

    [Fact]
    public async Task AnIdleServerIsSeenAsIdleAfterTwoScrapesWithoutANote()
    {
        var handler = new ScriptedMetrics(Page(0, 500));
        var output = new StringWriter();

        Assert.True(await ServerIdleWait.WaitAsync(Scraper(handler), output, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(1), CancellationToken.None));
        Assert.Equal(2, handler.Scrapes);
        Assert.Equal("", output.ToString());
    }

    [Fact]
    public async Task AServerThatStaysBusyIsMeasuredAnywayAfterTheLimitWithANote()
    {
        var pages = Enumerable.Range(0, 1000).Select(i => Page(0, i)).ToArray(); // other clients keep it inferring
        var output = new StringWriter();

        bool idle = await ServerIdleWait.WaitAsync(Scraper(new ScriptedMetrics(pages)), output, TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(5), CancellationToken.None);

        Assert.False(idle);
        Assert.Contains("still busy after", output.ToString());
    }

    [Fact]
    public async Task UnreadableMetricsEndTheWaitAtOnce()
    {
        var scraper = new PrometheusScraper(new HttpClient(), new Uri("http://127.0.0.1:1/metrics")); // nothing listens on port 1
        Assert.False(await ServerIdleWait.WaitAsync(scraper, TextWriter.Null, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(1), CancellationToken.None));
    }
}
