using System.Globalization;
using System.Text;

namespace Assl.Cli.Clients;

/// <summary>Maps a recording's tracking ids onto the wire's uint64 <c>tracking_id</c>.</summary>
public static class BodyIds
{
    /// <summary>Numeric ids (Kinect, NTU) as they are; anything else hashed (FNV-1a, stable across runs).</summary>
    public static ulong FromTrackingId(string trackingId) =>
        ulong.TryParse(trackingId, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : Fnv1a(trackingId);

    /// <summary>
    /// The id of a body in the <paramref name="play"/>-th clip played on one camera. The first play keeps
    /// the recording's id; later plays get their own, so a replayed file is a new person to the server
    /// (its events start afresh) even when the recording reuses the same tracking id.
    /// </summary>
    public static ulong ForPlay(ulong trackingId, int play) =>
        play == 0 ? trackingId : unchecked(trackingId + (ulong)play * 1_000_003UL);

    private static ulong Fnv1a(string text)
    {
        ulong hash = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes(text))
            hash = unchecked((hash ^ b) * 1099511628211UL);
        return hash;
    }
}
