using Assl.Model.Readers;
using Assl.Model.Skeletons;
using Assl.Stream.Windowing;
using Assl.Tests;
using static Assl.Stream.Tests.Windowing.Observations;

namespace Assl.Stream.Tests.Windowing;

/// <summary>Replays a real N-UCLA recording frame by frame as a camera would stream it.</summary>
public sealed class RealDataReplayTests
{
    [SkippableFact]
    public void ReplayedNuclaClipYieldsExactSlicesOfTheSequence()
    {
        var recording = SkeletonReaders.Read(Path.Combine(RealData.NuclaDirectory, "a01_s01_e00_v01.json"));
        var sequence = recording.MainBody.Sequence;
        Assert.Same(JointLayouts.KinectV1, sequence.Layout);
        const int windowFrames = 20, stride = 10;
        Assert.True(sequence.FrameCount >= windowFrames + stride, $"clip has only {sequence.FrameCount} frames");

        var assembler = new WindowAssembler(JointLayouts.KinectV1, windowFrames, new WindowingOptions { Stride = stride });
        var windows = new List<SkeletonWindow>();
        for (int f = 0; f < sequence.FrameCount; f++)
            windows.AddRange(assembler.Add(At(GridUs(f), sequence.Frame(f).ToArray(), camera: "v01", body: 1)));

        Assert.Equal(1 + (sequence.FrameCount - windowFrames) / stride, windows.Count);
        for (int i = 0; i < windows.Count; i++)
        {
            int start = i * stride;
            Assert.Equal(sequence.Slice(start, windowFrames).ToArray(), windows[i].Positions);
            Assert.Equal((GridUs(start), GridUs(start + windowFrames - 1)), (windows[i].StartUs, windows[i].EndUs));
        }
    }
}
