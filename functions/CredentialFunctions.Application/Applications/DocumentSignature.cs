namespace CredentialFunctions.Application.Applications;

/// <summary>
/// Decides a document's type from its first bytes (its file signature), never from the file name
/// or the Content-Type a client sends: a renamed executable stays an executable.
/// </summary>
public static class DocumentSignature
{
    private static ReadOnlySpan<byte> Pdf => "%PDF-"u8;

    private static ReadOnlySpan<byte> Png => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    private static ReadOnlySpan<byte> Jpeg => [0xFF, 0xD8, 0xFF];

    /// <summary>How many leading bytes <see cref="Decide"/> needs to tell every accepted type (the PNG signature's length).</summary>
    public const int Length = 8;

    /// <param name="head">The document's first bytes: <see cref="Length"/> of them, or all of a shorter document.</param>
    /// <returns>The type, or null for anything that is not a PDF, PNG or JPEG.</returns>
    public static DocumentType? Decide(ReadOnlySpan<byte> head) =>
        head.StartsWith(Pdf) ? DocumentType.Pdf
        : head.StartsWith(Png) ? DocumentType.Png
        : head.StartsWith(Jpeg) ? DocumentType.Jpeg
        : null;

    /// <summary>The media type a stored document is served with.</summary>
    public static string MediaType(DocumentType type) => type switch
    {
        DocumentType.Pdf => "application/pdf",
        DocumentType.Png => "image/png",
        DocumentType.Jpeg => "image/jpeg",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };
}
