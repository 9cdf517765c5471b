using System.ComponentModel.DataAnnotations;
using Assl.Model.Preprocessing;
using Assl.Model.Skeletons;
using static Assl.Model.Tests.Skeletons.TestSkeletons;

namespace Assl.Model.Tests.Preprocessing;

public sealed class SkeletonPreprocessorTests
{
    [Theory]
    [InlineData(1, 17)]
    [InlineData(2, 50)]
    [InlineData(3, 113)]
    public void ProducesFiftyAlignedFrames(int seed, int frames)
    {
        var preprocessor = new SkeletonPreprocessor(new PreprocessingOptions { AxisFrames = 1 });

        var output = preprocessor.Process(KinectV1Moving(frames, seed));

        Assert.Equal(50, output.FrameCount);
        ViewNormalizerTests.AssertFrameZeroAligned(output, tolerance: 1e-5f);
    }

    [Fact]
    public void IsAPureFunction()
    {
        var input = KinectV1Moving(frames: 40, seed: 5);
        var before = input.ToArray();
        var preprocessor = new SkeletonPreprocessor();

        var a = preprocessor.Process(input);
        var b = preprocessor.Process(input);

        Assert.Equal(a.ToArray(), b.ToArray());
        Assert.Equal(before, input.ToArray());
    }

    [Fact]
    public void WithoutViewNormalisationAzureStillBecomesCanonicalMetres()
    {
        var canonical = MovingCanonical(JointLayouts.AzureKinect, frames: 10, seed: 3);
        var device = new SkeletonSequence(JointLayouts.AzureKinect, ToAzureDevice(canonical));
        var options = new PreprocessingOptions { Frames = 10, CentreOnSpine = false, ViewNormalisation = false };

        var output = new SkeletonPreprocessor(options).Process(device);

        Assert.True(MaxAbsDiff(output.Positions, canonical) < 1e-6f);
    }

    [Fact]
    public void DefaultsFollowTheMethodNotes()
    {
        var options = new PreprocessingOptions();

        Assert.Equal(50, options.Frames);
        Assert.True(options.CentreOnSpine);
        Assert.True(options.ViewNormalisation);
    }

    [Fact]
    public void RejectsInvalidOptions()
    {
        Assert.Throws<ValidationException>(() => new SkeletonPreprocessor(new PreprocessingOptions { Frames = 0 }));
        Assert.Throws<ValidationException>(() => new SkeletonPreprocessor(new PreprocessingOptions { AxisFrames = 0 }));
    }

    [SkippableFact]
    public void RealNuclaClipIsUprightAndFacesTheCamera()
    {
        var clip = NuclaClip();
        var layout = JointLayouts.KinectV1;

        var output = new SkeletonPreprocessor().Process(clip);

        Assert.Equal(50, output.FrameCount);
        Assert.All(output.ToArray(), v => Assert.True(float.IsFinite(v)));
        Assert.Equal(default, output.Joint(0, layout.Normalisation.Centre));
        Assert.True(output.Joint(0, layout.IndexOf("Head")).Y > 0.3f, "head well above the spine");
        Assert.True(output.Joint(0, layout.IndexOf("FootLeft")).Y < -0.5f, "feet well below it");
        Assert.True(output.Joint(0, layout.IndexOf("ShoulderRight")).X > output.Joint(0, layout.IndexOf("ShoulderLeft")).X);
        // A body is under ~2.5 m in any direction from its spine.
        Assert.All(output.ToArray(), v => Assert.InRange(v, -2.5f, 2.5f));
    }
}
