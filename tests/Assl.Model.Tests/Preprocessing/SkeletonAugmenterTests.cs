using System.ComponentModel.DataAnnotations;
using Assl.Model.Preprocessing;
using Assl.Model.Skeletons;
using static Assl.Model.Tests.Skeletons.TestSkeletons;

namespace Assl.Model.Tests.Preprocessing;

public sealed class SkeletonAugmenterTests
{
    private static readonly SkeletonPreprocessor Preprocessor = new();

    public static TheoryData<int> Seeds => [0, 1, 2, 3, 99, 2024];

    public static TheoryData<string, int> PresetsAndSeeds
    {
        get
        {
            var data = new TheoryData<string, int>();
            foreach (var preset in new[] { "weak", "strong" })
                foreach (int seed in new[] { 0, 1, 7, 31337 })
                    data.Add(preset, seed);
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(PresetsAndSeeds))]
    public void SameSeedGivesTheSameSampleAndKeepsTheShape(string preset, int seed)
    {
        var augmenter = new SkeletonAugmenter(Preset(preset));
        var input = Preprocessor.Process(KinectV1Moving(frames: 70, seed));

        var a = augmenter.Augment(input, seed);
        var b = augmenter.Augment(input, new Random(seed));

        Assert.Equal(a.ToArray(), b.ToArray());
        Assert.Equal(a.TimestampsMicros.ToArray(), b.TimestampsMicros.ToArray());
        Assert.Equal(input.FrameCount, a.FrameCount);
        Assert.Same(input.Layout, a.Layout);
        Assert.All(a.ToArray(), v => Assert.True(float.IsFinite(v)));
    }

    [Theory]
    [MemberData(nameof(PresetsAndSeeds))]
    public void DifferentSeedsGiveDifferentSamples(string preset, int seed)
    {
        var augmenter = new SkeletonAugmenter(Preset(preset));
        var input = Preprocessor.Process(KinectV1Moving(frames: 70, seed));

        var a = augmenter.Augment(input, seed);
        var b = augmenter.Augment(input, seed + 1);

        Assert.True(MaxAbsDiff(a.Positions, b.Positions) > 1e-3f);
        Assert.True(MaxAbsDiff(a.Positions, input.Positions) > 1e-3f, "augmentation changes the sample");
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void ScaleStaysInRangeAndIsUniformAcrossBones(int seed)
    {
        var options = AugmentationOptions.Weak with { MinCropFraction = 1, MaxCropFraction = 1 };
        var input = Preprocessor.Process(KinectV1Moving(frames: 60, seed));

        var output = new SkeletonAugmenter(options).Augment(input, seed);

        var ratios = BoneRatios(input, output).ToList();
        Assert.All(ratios, r => Assert.InRange(r, 0.9 - 1e-4, 1.1 + 1e-4));
        Assert.True(ratios.Max() - ratios.Min() < 1e-4, "rotation and scale are rigid up to one factor");
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void ScaleStaysInRangeWithTemporalCropOnAStillBody(int seed)
    {
        var input = Preprocessor.Process(KinectV1Still(frames: 50));

        var weak = new SkeletonAugmenter(AugmentationOptions.Weak).Augment(input, seed);
        var strong = new SkeletonAugmenter(AugmentationOptions.Strong with { JitterSigma = 0, JointGroupMaskProbability = 0 })
            .Augment(input, seed);

        Assert.All(BoneRatios(input, weak), r => Assert.InRange(r, 0.9 - 1e-4, 1.1 + 1e-4));
        Assert.All(BoneRatios(input, strong), r => Assert.InRange(r, 0.8 - 1e-4, 1.2 + 1e-4));
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void RotationKeepsTheBodyRoughlyUpright(int seed)
    {
        var input = Preprocessor.Process(KinectV1Still(frames: 10));
        var n = JointLayouts.KinectV1.Normalisation;

        var output = new SkeletonAugmenter(AugmentationOptions.Weak).Augment(input, seed);

        var up = System.Numerics.Vector3.Normalize(Joint(output, 0, n.Spine) - Joint(output, 0, n.Hip));
        // Two tilts of at most 10° each leave the spine within about 14.2° of vertical.
        Assert.True(up.Y >= Math.Cos(14.2 * Math.PI / 180), $"up {up}");
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void NeverProducesNaNOnDegenerateOrTinyInputs(int seed)
    {
        var zeros = new SkeletonSequence(JointLayouts.KinectV1, new float[50 * 60]);
        var single = Preprocessor.Process(KinectV1Moving(frames: 1, seed));
        var two = new SkeletonSequence(JointLayouts.KinectV1, KinectV1Moving(frames: 2, seed).ToArray());

        foreach (var options in new[] { AugmentationOptions.Weak, AugmentationOptions.Strong })
        {
            var augmenter = new SkeletonAugmenter(options);
            foreach (var input in new[] { zeros, single, two })
            {
                var output = augmenter.Augment(input, seed);
                Assert.Equal(input.FrameCount, output.FrameCount);
                Assert.All(output.ToArray(), v => Assert.True(float.IsFinite(v)));
            }
        }
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void MaskingZeroesOneWholeLimbInEveryFrame(int seed)
    {
        var options = AugmentationOptions.Strong with { JointGroupMaskProbability = 1, JitterSigma = 0 };
        var input = Preprocessor.Process(KinectV1Moving(frames: 50, seed));

        var output = new SkeletonAugmenter(options).Augment(input, seed);

        var masked = JointGroups.Limbs(JointLayouts.KinectV1)
            .Where(g => Enumerable.Range(0, output.FrameCount).All(t => g.All(j => Joint(output, t, j) == default)))
            .ToList();
        Assert.Single(masked);
        Assert.All(JointGroups.Trunk(JointLayouts.KinectV1).Skip(1), j => Assert.NotEqual(default, Joint(output, 0, j)));
    }

    [Fact]
    public void JitterIsOffByDefaultAndOnInStrong()
    {
        Assert.Equal(0, AugmentationOptions.Weak.JitterSigma);
        Assert.Equal(0, AugmentationOptions.Weak.JointGroupMaskProbability);
        Assert.Equal(0.01, AugmentationOptions.Strong.JitterSigma);
        Assert.Equal(0.5, AugmentationOptions.Strong.MinCropFraction);
        Assert.True(AugmentationOptions.Strong.MaxYawDegrees > AugmentationOptions.Weak.MaxYawDegrees);
    }

    [Fact]
    public void InvalidOptionsAreRejected()
    {
        Assert.Throws<ValidationException>(() => new SkeletonAugmenter(AugmentationOptions.Weak with { MinScale = 1.2, MaxScale = 1.1 }));
        Assert.Throws<ValidationException>(() => new SkeletonAugmenter(AugmentationOptions.Weak with { MinCropFraction = 0 }));
        Assert.Throws<ValidationException>(() => new SkeletonAugmenter(AugmentationOptions.Weak with { MaxYawDegrees = 400 }));
    }

    private static AugmentationOptions Preset(string name) => name == "strong" ? AugmentationOptions.Strong : AugmentationOptions.Weak;

    // Frame t of the output against frame t of the input: valid without a crop, or for a still body.
    private static IEnumerable<double> BoneRatios(SkeletonSequence before, SkeletonSequence after)
    {
        for (int t = 0; t < after.FrameCount; t += 7)
            foreach (var (child, parent) in before.Layout.Bones)
                yield return BoneLength(after, t, child, parent) / BoneLength(before, t, child, parent);
    }
}
