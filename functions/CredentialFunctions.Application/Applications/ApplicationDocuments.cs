using CredentialFunctions.Domain;

namespace CredentialFunctions.Application.Applications;

/// <summary>The kinds of evidence document accepted (a diploma scan, a training certificate), as decided by their bytes.</summary>
public enum DocumentType { Pdf, Png, Jpeg }

/// <summary>A document stored under an application.</summary>
/// <param name="Sha256">Lower-case hex of the bytes stored: what the application's audit history records.</param>
public sealed record StoredDocument(string DocumentId, string FileName, DocumentType Type, long Length, string Sha256);

/// <summary>A stored document opened for download.</summary>
public sealed record DocumentContent(StoredDocument Document, Stream Content);

/// <summary>
/// Where an application's documents live (Azure Blob Storage). Content is streamed through, never
/// held whole in memory, and its type is decided by its bytes, not by what the client says.
/// </summary>
public interface IApplicationDocuments
{
    public const long MaxLength = 10 * 1024 * 1024;

    /// <exception cref="DocumentTooLargeException">More than <see cref="MaxLength"/> bytes: nothing is kept.</exception>
    /// <exception cref="UnsupportedDocumentTypeException">Not a PDF, PNG or JPEG by its bytes: nothing is kept.</exception>
    Task<StoredDocument> StoreAsync(string applicationId, string fileName, Stream content, CancellationToken cancellationToken);

    /// <exception cref="NotFoundException">No such document under the application.</exception>
    Task<DocumentContent> OpenAsync(string applicationId, string documentId, CancellationToken cancellationToken);

    /// <summary>Removes a stored document the application never took (its write was refused); nothing happens when there is none.</summary>
    Task DeleteAsync(string applicationId, string documentId, CancellationToken cancellationToken);
}

/// <summary>An upload over the size cap (HTTP 413).</summary>
public sealed class DocumentTooLargeException(long maxLength)
    : DomainException($"A document may be at most {maxLength / (1024 * 1024)} MB.")
{
    public long MaxLength { get; } = maxLength;
}

/// <summary>An upload whose bytes are not an accepted type, whatever its header claims (HTTP 415).</summary>
public sealed class UnsupportedDocumentTypeException()
    : DomainException("A document must be a PDF, PNG or JPEG file.");
