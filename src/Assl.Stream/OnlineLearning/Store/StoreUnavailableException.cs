namespace Assl.Stream.OnlineLearning.Store;

/// <summary>
/// The store cannot be written (read-only file or folder, full disk, I/O error, locked past the timeout,
/// corrupt file). It is an operational condition, not a bug: callers report it and retry later.
/// </summary>
public sealed class StoreUnavailableException : Exception
{
    public StoreUnavailableException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
