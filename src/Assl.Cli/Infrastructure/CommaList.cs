namespace Assl.Cli.Infrastructure;

/// <summary>Flags that take a comma-separated list ("1,2,3"), read with an error that names the flag.</summary>
public static class CommaList
{
    public static int[] Ints(string value, string flag) =>
        Items(value).Select(v => int.TryParse(v, out int n) ? n : throw new ArgumentException($"{flag} takes integers separated by commas, got '{v}'.")).ToArray();

    /// <summary>N-UCLA views, 1 to 3.</summary>
    public static int[] Views(string value, string flag) =>
        Items(value).Select(v => int.TryParse(v, out int view) && view is >= 1 and <= 3 ? view : throw new ArgumentException($"{flag} takes views 1 to 3, got '{v}'.")).ToArray();

    /// <summary>Any list: <paramref name="parse"/> throws <see cref="ArgumentException"/> with its own message, or anything else, which becomes one naming the flag.</summary>
    public static List<T> Of<T>(string value, string flag, Func<string, T> parse) =>
        Items(value).Select(v =>
        {
            try
            {
                return parse(v);
            }
            catch (Exception e) when (e is FormatException or OverflowException)
            {
                throw new ArgumentException($"{flag}: '{v}' is not valid ({e.Message})");
            }
        }).ToList();

    private static string[] Items(string value) => value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
