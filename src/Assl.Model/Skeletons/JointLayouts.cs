namespace Assl.Model.Skeletons;

/// <summary>The three joint layouts Assl's users have, and lookup by id.</summary>
public static class JointLayouts
{
    /// <summary>Kinect v1 (Xbox 360), 20 joints: N-UCLA, UTKinect, MSR Action3D. Metres, +Y up.</summary>
    public static JointLayout KinectV1 { get; } = new(
        "kinect-v1-20", "Kinect v1 (20 joints)",
        [
            "HipCenter", "Spine", "ShoulderCenter", "Head",
            "ShoulderLeft", "ElbowLeft", "WristLeft", "HandLeft",
            "ShoulderRight", "ElbowRight", "WristRight", "HandRight",
            "HipLeft", "KneeLeft", "AnkleLeft", "FootLeft",
            "HipRight", "KneeRight", "AnkleRight", "FootRight",
        ],
        [-1, 0, 1, 2, 2, 4, 5, 6, 2, 8, 9, 10, 0, 12, 13, 14, 0, 16, 17, 18],
        CoordinateConvention.KinectCameraSpace,
        new NormalisationJoints(Centre: 1, Hip: 0, Spine: 1, LeftShoulder: 4, RightShoulder: 8));

    /// <summary>Kinect v2 (Kinect for Xbox One), 25 joints: NTU RGB+D 60/120. Metres, +Y up.</summary>
    public static JointLayout KinectV2 { get; } = new(
        "kinect-v2-25", "Kinect v2 / NTU RGB+D (25 joints)",
        [
            "SpineBase", "SpineMid", "Neck", "Head",
            "ShoulderLeft", "ElbowLeft", "WristLeft", "HandLeft",
            "ShoulderRight", "ElbowRight", "WristRight", "HandRight",
            "HipLeft", "KneeLeft", "AnkleLeft", "FootLeft",
            "HipRight", "KneeRight", "AnkleRight", "FootRight",
            "SpineShoulder", "HandTipLeft", "ThumbLeft", "HandTipRight", "ThumbRight",
        ],
        [-1, 0, 20, 2, 20, 4, 5, 6, 20, 8, 9, 10, 0, 12, 13, 14, 0, 16, 17, 18, 1, 7, 7, 11, 11],
        CoordinateConvention.KinectCameraSpace,
        new NormalisationJoints(Centre: 1, Hip: 0, Spine: 1, LeftShoulder: 4, RightShoulder: 8));

    /// <summary>
    /// Azure Kinect Body Tracking SDK (also Orbbec Femto through its K4A wrapper), 32 joints.
    /// Millimetres, depth-camera space with +Y down.
    /// </summary>
    public static JointLayout AzureKinect { get; } = new(
        "azure-kinect-32", "Azure Kinect / Orbbec Femto (32 joints)",
        [
            "PELVIS", "SPINE_NAVEL", "SPINE_CHEST", "NECK",
            "CLAVICLE_LEFT", "SHOULDER_LEFT", "ELBOW_LEFT", "WRIST_LEFT", "HAND_LEFT", "HANDTIP_LEFT", "THUMB_LEFT",
            "CLAVICLE_RIGHT", "SHOULDER_RIGHT", "ELBOW_RIGHT", "WRIST_RIGHT", "HAND_RIGHT", "HANDTIP_RIGHT", "THUMB_RIGHT",
            "HIP_LEFT", "KNEE_LEFT", "ANKLE_LEFT", "FOOT_LEFT",
            "HIP_RIGHT", "KNEE_RIGHT", "ANKLE_RIGHT", "FOOT_RIGHT",
            "HEAD", "NOSE", "EYE_LEFT", "EAR_LEFT", "EYE_RIGHT", "EAR_RIGHT",
        ],
        [-1, 0, 1, 2, 2, 4, 5, 6, 7, 8, 7, 2, 11, 12, 13, 14, 15, 14, 0, 18, 19, 20, 0, 22, 23, 24, 3, 26, 26, 26, 26, 26],
        CoordinateConvention.AzureKinectDepthCamera,
        new NormalisationJoints(Centre: 1, Hip: 0, Spine: 1, LeftShoulder: 5, RightShoulder: 12));

    public static IReadOnlyList<JointLayout> All { get; } = [KinectV1, KinectV2, AzureKinect];

    /// <summary>Finds a layout by id ("kinect-v2-25") or by joint count (20, 25, 32).</summary>
    public static JointLayout Get(string idOrJointCount)
    {
        var layout = All.FirstOrDefault(l => string.Equals(l.Id, idOrJointCount, StringComparison.OrdinalIgnoreCase));
        if (layout is null && int.TryParse(idOrJointCount, out int joints))
            layout = All.FirstOrDefault(l => l.JointCount == joints);
        return layout ?? throw new ArgumentException(
            $"Unknown joint layout '{idOrJointCount}'. Known: {string.Join(", ", All.Select(l => l.Id))}.");
    }

    public static JointLayout? ForJointCount(int joints) => All.FirstOrDefault(l => l.JointCount == joints);
}
