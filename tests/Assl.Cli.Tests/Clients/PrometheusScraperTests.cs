using Assl.Cli.Clients;

namespace Assl.Cli.Tests.Clients;

public sealed class PrometheusScraperTests
{
    private const string Exposition = """
        # HELP assl_windows_inferred_total Windows classified by the model.
        # TYPE assl_windows_inferred_total counter
        assl_windows_inferred_total 1234
        # HELP assl_frames_rejected_total Frames or bodies rejected, by reason.
        # TYPE assl_frames_rejected_total counter
        assl_frames_rejected_total{reason="non_finite"} 3
        assl_frames_rejected_total{reason="wrong_joint_count"} 4
        # TYPE assl_active_streams gauge
        assl_active_streams{kind="ingest"} 8
        assl_active_streams{kind="subscribe"} 1
        assl_model_info{model_version="nucla \"v1\", e40",outcome="ok"} 1
        process_working_set_bytes 2.5165824E+08
        process_cpu_seconds_total 12.34 1700000000000
        assl_inference_duration_seconds_bucket{le="+Inf"} 99
        assl_odd NaN

        """;

    [Fact]
    public void ParsesCountersGaugesAndLabels()
    {
        var snapshot = PrometheusScraper.Parse(Exposition.Replace("\n", "\r\n"));

        Assert.Equal(1234, snapshot.Sum("assl_windows_inferred_total"));
        Assert.Equal(7, snapshot.Sum("assl_frames_rejected_total"));
        Assert.Equal(4, snapshot.Value("assl_frames_rejected_total", ("reason", "wrong_joint_count")));
        Assert.Equal(8, snapshot.Value("assl_active_streams", ("kind", "ingest")));
        Assert.Equal(1, snapshot.Value("assl_model_info", ("model_version", "nucla \"v1\", e40"), ("outcome", "ok")));
        Assert.Equal(251_658_240, snapshot.Sum("process_working_set_bytes"));
        Assert.Equal(12.34, snapshot.Sum("process_cpu_seconds_total"), 9); // the trailing timestamp is not the value
        Assert.Equal(99, snapshot.Value("assl_inference_duration_seconds_bucket", ("le", "+Inf")));
        Assert.True(double.IsNaN(snapshot.Sum("assl_odd")));
        Assert.True(double.IsNaN(snapshot.Sum("assl_absent_total")));
    }

    [Fact]
    public void MalformedLinesSayWhere()
    {
        var e = Assert.Throws<InvalidDataException>(() => PrometheusScraper.Parse("ok 1\nbroken{reason=\"x\" 2\n"));
        Assert.Contains("line 2", e.Message);
    }
}
