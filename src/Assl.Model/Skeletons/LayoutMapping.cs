namespace Assl.Model.Skeletons;

/// <summary>
/// Maps frames of one joint layout onto another, so a model trained on one device consumes another's:
/// each target joint is a weighted sum of source joints (a J_target × J_source matrix), and positions
/// are converted to the target's unit and axis convention.
/// </summary>
public sealed class LayoutMapping
{
    private readonly float[,] _weights;

    private LayoutMapping(JointLayout source, JointLayout target, float[,] weights)
    {
        Source = source;
        Target = target;
        _weights = weights;
    }

    public JointLayout Source { get; }

    public JointLayout Target { get; }

    /// <summary>Weight of source joint s in target joint t.</summary>
    public float Weight(int target, int source) => _weights[target, source];

    /// <summary>The mapping between two layouts; identity when they are the same.</summary>
    public static LayoutMapping Between(JointLayout source, JointLayout target)
    {
        if (ReferenceEquals(source, target)) return Identity(source);
        if (source == JointLayouts.AzureKinect && target == JointLayouts.KinectV2) return AzureToKinectV2;
        if (source == JointLayouts.KinectV2 && target == JointLayouts.KinectV1) return KinectV2ToV1;
        if (source == JointLayouts.AzureKinect && target == JointLayouts.KinectV1) return AzureToKinectV1;
        throw new NotSupportedException(
            $"No mapping from {source.Id} to {target.Id}: Assl maps richer layouts onto poorer ones (32→25→20).");
    }

    public static bool Exists(JointLayout source, JointLayout target) =>
        ReferenceEquals(source, target)
        || (source == JointLayouts.AzureKinect && (target == JointLayouts.KinectV2 || target == JointLayouts.KinectV1))
        || (source == JointLayouts.KinectV2 && target == JointLayouts.KinectV1);

    public SkeletonSequence Apply(SkeletonSequence sequence)
    {
        if (sequence.Layout != Source)
            throw new ArgumentException($"Mapping expects {Source.Id}, got {sequence.Layout.Id}.", nameof(sequence));
        if (ReferenceEquals(Source, Target)) return sequence;

        int frames = sequence.FrameCount, js = Source.JointCount, jt = Target.JointCount;
        var (sx, sy, sz) = Source.Convention.ToCanonical;
        var (tx, ty, tz) = Target.Convention.FromCanonical;
        float fx = sx * tx, fy = sy * ty, fz = sz * tz;
        var src = sequence.Positions;
        var dst = new float[frames * jt * 3];
        float[]? conf = sequence.Confidence is null ? null : new float[frames * jt];
        for (int f = 0; f < frames; f++)
        {
            for (int t = 0; t < jt; t++)
            {
                float x = 0, y = 0, z = 0, c = 1;
                for (int s = 0; s < js; s++)
                {
                    float w = _weights[t, s];
                    if (w == 0) continue;
                    int i = (f * js + s) * 3;
                    x += w * src[i];
                    y += w * src[i + 1];
                    z += w * src[i + 2];
                    if (conf is not null) c = Math.Min(c, sequence.Confidence![f * js + s]);
                }
                int o = (f * jt + t) * 3;
                dst[o] = x * fx;
                dst[o + 1] = y * fy;
                dst[o + 2] = z * fz;
                if (conf is not null) conf[f * jt + t] = c;
            }
        }
        return new SkeletonSequence(Target, dst, sequence.TimestampsMicros.ToArray(), conf);
    }

    private static LayoutMapping Identity(JointLayout layout)
    {
        var w = new float[layout.JointCount, layout.JointCount];
        for (int j = 0; j < layout.JointCount; j++) w[j, j] = 1;
        return new LayoutMapping(layout, layout, w);
    }

    // Azure Kinect's SPINE_CHEST sits lower than Kinect v2's SpineShoulder and its NECK sits where
    // Kinect v2's SpineShoulder is; Kinect v2's Neck lies halfway between NECK and HEAD.
    private static readonly LayoutMapping AzureToKinectV2 = Build(JointLayouts.AzureKinect, JointLayouts.KinectV2, new()
    {
        ["SpineBase"] = [("PELVIS", 1f)],
        ["SpineMid"] = [("SPINE_NAVEL", 0.5f), ("SPINE_CHEST", 0.5f)],
        ["Neck"] = [("NECK", 0.5f), ("HEAD", 0.5f)],
        ["Head"] = [("HEAD", 1f)],
        ["ShoulderLeft"] = [("SHOULDER_LEFT", 1f)],
        ["ElbowLeft"] = [("ELBOW_LEFT", 1f)],
        ["WristLeft"] = [("WRIST_LEFT", 1f)],
        ["HandLeft"] = [("HAND_LEFT", 1f)],
        ["ShoulderRight"] = [("SHOULDER_RIGHT", 1f)],
        ["ElbowRight"] = [("ELBOW_RIGHT", 1f)],
        ["WristRight"] = [("WRIST_RIGHT", 1f)],
        ["HandRight"] = [("HAND_RIGHT", 1f)],
        ["HipLeft"] = [("HIP_LEFT", 1f)],
        ["KneeLeft"] = [("KNEE_LEFT", 1f)],
        ["AnkleLeft"] = [("ANKLE_LEFT", 1f)],
        ["FootLeft"] = [("FOOT_LEFT", 1f)],
        ["HipRight"] = [("HIP_RIGHT", 1f)],
        ["KneeRight"] = [("KNEE_RIGHT", 1f)],
        ["AnkleRight"] = [("ANKLE_RIGHT", 1f)],
        ["FootRight"] = [("FOOT_RIGHT", 1f)],
        ["SpineShoulder"] = [("NECK", 1f)],
        ["HandTipLeft"] = [("HANDTIP_LEFT", 1f)],
        ["ThumbLeft"] = [("THUMB_LEFT", 1f)],
        ["HandTipRight"] = [("HANDTIP_RIGHT", 1f)],
        ["ThumbRight"] = [("THUMB_RIGHT", 1f)],
    });

    // Kinect v1's 20 joints are Kinect v2's first 20, except ShoulderCenter, which is v2's SpineShoulder.
    private static readonly LayoutMapping KinectV2ToV1 = Build(JointLayouts.KinectV2, JointLayouts.KinectV1,
        JointLayouts.KinectV1.JointNames.ToDictionary(
            n => n,
            n => new (string, float)[] { (n switch
            {
                "HipCenter" => "SpineBase",
                "Spine" => "SpineMid",
                "ShoulderCenter" => "SpineShoulder",
                _ => n,
            }, 1f) }));

    private static readonly LayoutMapping AzureToKinectV1 = Compose(AzureToKinectV2, KinectV2ToV1);

    private static LayoutMapping Build(JointLayout source, JointLayout target, Dictionary<string, (string Joint, float Weight)[]> spec)
    {
        var w = new float[target.JointCount, source.JointCount];
        foreach (var name in target.JointNames)
        {
            if (!spec.TryGetValue(name, out var parts))
                throw new InvalidOperationException($"Mapping {source.Id}→{target.Id} has no rule for {name}.");
            foreach (var (joint, weight) in parts)
                w[target.IndexOf(name), source.IndexOf(joint)] += weight;
        }
        return new LayoutMapping(source, target, w);
    }

    private static LayoutMapping Compose(LayoutMapping first, LayoutMapping second)
    {
        int jt = second.Target.JointCount, jm = first.Target.JointCount, js = first.Source.JointCount;
        var w = new float[jt, js];
        for (int t = 0; t < jt; t++)
            for (int m = 0; m < jm; m++)
                for (int s = 0; s < js; s++)
                    w[t, s] += second._weights[t, m] * first._weights[m, s];
        return new LayoutMapping(first.Source, second.Target, w);
    }
}
