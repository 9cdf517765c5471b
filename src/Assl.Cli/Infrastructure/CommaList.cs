namespace Assl.Cli.Infrastructure;

/// <summary>Flags that take a comma-separated list ("1,2,3"), read with an error that names the flag.</summary>
public static class CommaList
{
    public static int[] Ints(string value, string flag) =>
        Items(value).Select(v => int.TryParse(v, out int n) ? n : throw new ArgumentException($"{flag} takes integers separated by commas, got '{v}'.")).ToArray();

    /// <summary>N-UCLA views, 1 to 3.</summary>
    public static int[] Views(string value, string flag) =>
        Items(value).Select(v => int.TryParse(v, out int view) && view is >= 1 and <= 3 ? view : throw new ArgumentException($"{flag} takes views 1 to 3, got '{v}'.")).ToArray();

    /// <summary>Any list; <paramref name="parse"/> refuses a bad item with an <see cref="ArgumentException"/> that names the flag.</summary>
    public static List<T> Of<T>(string value, Func<string, T> parse) => Items(value).Select(parse).ToList();

    private static string[] Items(string value) => value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
