using System.Globalization;
using System.Text;
using Assl.Model.Skeletons;

namespace Assl.Model.Tests.Readers;

/// <summary>
/// Writes k4abt_offline_processor JSON, pretty-printed like the tool. Body b's joint j in frame f sits
/// at (10·f, j, 1000 + b) millimetres.
/// </summary>
internal static class AzureKinectFileBuilder
{
    public sealed record Frame(long TimestampUsec, params int[] BodyIds);

    public static string Build(bool withConfidence, params Frame[] frames)
    {
        var names = string.Join(", ", JointLayouts.AzureKinect.JointNames.Select(n => $"\"{n}\""));
        var sb = new StringBuilder();
        sb.Append("{\n    \"bone_list\": [[\"SPINE_CHEST\", \"SPINE_NAVEL\"]],\n    \"frames\": [\n");
        for (int f = 0; f < frames.Length; f++)
        {
            var frame = frames[f];
            sb.Append(CultureInfo.InvariantCulture,
                $"        {{\n            \"bodies\": [");
            for (int b = 0; b < frame.BodyIds.Length; b++)
            {
                int id = frame.BodyIds[b];
                var positions = string.Join(", ", Enumerable.Range(0, 32).Select(j =>
                    string.Create(CultureInfo.InvariantCulture, $"[{10 * f}.0, {j}.0, {1000 + id}.5]")));
                var orientations = string.Join(", ", Enumerable.Range(0, 32).Select(_ => "[1.0, 0.0, 0.0, 0.0]"));
                sb.Append(b == 0 ? "\n" : ",\n");
                sb.Append(CultureInfo.InvariantCulture, $"                {{\n                    \"body_id\": {id},\n");
                if (withConfidence)
                    sb.Append(CultureInfo.InvariantCulture,
                        $"                    \"confidence_level\": [{string.Join(", ", Enumerable.Range(0, 32).Select(j => j % 4))}],\n");
                sb.Append(CultureInfo.InvariantCulture, $"                    \"joint_orientations\": [{orientations}],\n");
                sb.Append(CultureInfo.InvariantCulture, $"                    \"joint_positions\": [{positions}]\n                }}");
            }
            sb.Append(CultureInfo.InvariantCulture,
                $"\n            ],\n            \"frame_id\": {f},\n            \"num_bodies\": {frame.BodyIds.Length},\n            \"timestamp_usec\": {frame.TimestampUsec}\n        }}");
            sb.Append(f == frames.Length - 1 ? "\n" : ",\n");
        }
        sb.Append(CultureInfo.InvariantCulture, $"    ],\n    \"joint_names\": [{names}],\n    \"k4abt_sdk_version\": \"1.1.2\",\n    \"source_file\": \"take1.mkv\",\n    \"start_offset_usec\": 0\n}}\n");
        return sb.ToString();
    }
}
