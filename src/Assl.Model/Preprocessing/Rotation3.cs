using System.Numerics;

namespace Assl.Model.Preprocessing;

/// <summary>
/// A 3×3 rotation stored as its rows, applied as p' = (X·p, Y·p, Z·p) to flat x,y,z float buffers.
/// </summary>
/// <remarks>
/// Rows rather than System.Numerics.Matrix4x4 because Gram-Schmidt produces the new axes directly as
/// rows, and Matrix4x4's row-vector convention makes the transpose easy to get wrong.
/// </remarks>
public readonly record struct Rotation3(Vector3 X, Vector3 Y, Vector3 Z)
{
    public static Rotation3 Identity { get; } = new(Vector3.UnitX, Vector3.UnitY, Vector3.UnitZ);

    /// <summary>Rotation by <paramref name="radians"/> about +X (right-handed).</summary>
    public static Rotation3 AboutX(double radians)
    {
        float c = (float)Math.Cos(radians), s = (float)Math.Sin(radians);
        return new(Vector3.UnitX, new Vector3(0, c, -s), new Vector3(0, s, c));
    }

    /// <summary>Rotation by <paramref name="radians"/> about +Y, the vertical axis of canonical space.</summary>
    public static Rotation3 AboutY(double radians)
    {
        float c = (float)Math.Cos(radians), s = (float)Math.Sin(radians);
        return new(new Vector3(c, 0, s), Vector3.UnitY, new Vector3(-s, 0, c));
    }

    /// <summary>Rotation by <paramref name="radians"/> about +Z.</summary>
    public static Rotation3 AboutZ(double radians)
    {
        float c = (float)Math.Cos(radians), s = (float)Math.Sin(radians);
        return new(new Vector3(c, -s, 0), new Vector3(s, c, 0), Vector3.UnitZ);
    }

    /// <summary>The composition "apply <paramref name="b"/>, then <paramref name="a"/>".</summary>
    public static Rotation3 operator *(Rotation3 a, Rotation3 b) => new(a.Row(a.X, b), a.Row(a.Y, b), a.Row(a.Z, b));

    public Vector3 Apply(Vector3 p) => new(Vector3.Dot(X, p), Vector3.Dot(Y, p), Vector3.Dot(Z, p));

    /// <summary>Rotates every (x, y, z) triple of <paramref name="xyz"/> in place.</summary>
    public void Apply(Span<float> xyz)
    {
        if (xyz.Length % 3 != 0)
            throw new ArgumentException($"{xyz.Length} values is not a whole number of points.", nameof(xyz));
        for (int i = 0; i < xyz.Length; i += 3)
        {
            var p = Apply(new Vector3(xyz[i], xyz[i + 1], xyz[i + 2]));
            xyz[i] = p.X;
            xyz[i + 1] = p.Y;
            xyz[i + 2] = p.Z;
        }
    }

    private Vector3 Row(Vector3 row, Rotation3 b) => row.X * b.X + row.Y * b.Y + row.Z * b.Z;
}
