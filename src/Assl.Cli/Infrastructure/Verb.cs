namespace Assl.Cli.Infrastructure;

/// <summary>Shared plumbing for verbs: clean error reporting with exit codes.</summary>
public static class Verb
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int BadInput = 2;

    /// <summary>Runs a verb and turns expected failures into one clear line on stderr, not a stack trace.</summary>
    public static async Task<int> Guard(Func<Task<int>> verb)
    {
        try
        {
            return await verb();
        }
        catch (OperationCanceledException)
        {
            await Console.Error.WriteLineAsync("Stopped.");
            return 130;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or ArgumentException
                                      or Assl.Model.Readers.SkeletonFormatException or Assl.Model.Checkpoints.CheckpointException
                                      or InvalidOperationException or NotSupportedException)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}");
            return BadInput;
        }
    }

    public static int Guard(Func<int> verb) => Guard(() => Task.FromResult(verb())).GetAwaiter().GetResult();
}
