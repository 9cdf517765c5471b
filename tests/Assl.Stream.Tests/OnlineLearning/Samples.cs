using Assl.Stream.OnlineLearning.Store;

namespace Assl.Stream.Tests.OnlineLearning;

/// <summary>Small deterministic windows for store tests (T=4, J=25: the NTU layout's joint count).</summary>
internal static class Samples
{
    public const int Frames = 4, Joints = 25;

    public static SampleWindow Window(int seed, long capturedUnixUs = 1_700_000_000_000_000, string camera = "cam-1")
    {
        var random = new Random(seed);
        var positions = new float[Frames * Joints * 3];
        for (int i = 0; i < positions.Length; i++) positions[i] = (float)(random.NextDouble() * 4 - 2);
        return new SampleWindow(camera, (ulong)seed, seed * 1000L, seed * 1000L + 100_000, "kinect_v2", positions, capturedUnixUs);
    }

    public static PseudoLabel Label(int classIndex, float confidence = 0.9f) => new(classIndex, confidence, "v1");
}
