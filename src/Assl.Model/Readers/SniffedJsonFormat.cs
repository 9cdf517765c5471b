namespace Assl.Model.Readers;

/// <summary>Which skeleton JSON dialect a file's first bytes reveal.</summary>
internal enum SniffedJsonFormat
{
    Unknown,
    Nucla,
    AzureKinect,
}
