namespace Assl.Stream.OnlineLearning.Store;

/// <summary>The store's schema cannot be used by this build, e.g. it was written by a newer version.</summary>
public sealed class StoreSchemaException : Exception
{
    public StoreSchemaException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
