using CredentialFunctions.Application.Access;
using CredentialFunctions.Domain;
using CredentialFunctions.Domain.Applications;

namespace CredentialFunctions.Application.Applications;

/// <summary>What a candidate says about a document they upload: its file name, and the pathway's required document it answers, if any.</summary>
public sealed record DocumentUpload(string? FileName, string? Requirement);

/// <summary>An application's documents, as its candidate and reviewers see them.</summary>
public sealed record ApplicationDocumentList(IReadOnlyList<ApplicationDocument> Documents);

/// <summary>
/// A candidate's evidence documents on their application: stored in <see cref="IApplicationDocuments"/>
/// and recorded, with their SHA-256, in the application's history. Apart from
/// <see cref="ApplicationService"/> because only these routes need the document storage.
/// </summary>
public sealed class ApplicationDocumentService(ApplicationService applications, IApplicationDocuments documents, TimeProvider clock)
{
    public const int MaxFileNameLength = 255;

    /// <summary>
    /// Checks the application can take the document before a byte is stored, streams it into
    /// storage, then records it in one ETag-guarded write of the application. A write refused after
    /// the bytes were stored (the state changed meanwhile) removes them again, so a refused upload
    /// leaves nothing in storage and nothing on the application.
    /// </summary>
    /// <param name="declaredLength">The request's Content-Length, when it has one: over the cap, nothing is read.</param>
    public async Task<(CertificationApplication Application, ApplicationDocument Document)> AttachAsync(
        string applicationId, DocumentUpload upload, Stream content, long? declaredLength, Caller caller, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var fileName = PlainText.Required(errors, "fileName", upload.FileName, MaxFileNameLength);
        var requirement = PlainText.Optional(errors, "requirement", upload.Requirement, 200);
        errors.ThrowIfAny();
        var application = ApplicationService.OwnedBy(caller, await applications.ReadAsync(applicationId, cancellationToken));
        application.CheckCanAttach(requirement, clock.GetUtcNow());
        if (declaredLength > IApplicationDocuments.MaxLength) throw new DocumentTooLargeException(IApplicationDocuments.MaxLength);

        var stored = await documents.StoreAsync(applicationId, fileName, content, cancellationToken);
        var document = new ApplicationDocument(stored.DocumentId, requirement, stored.FileName, DocumentSignature.MediaType(stored.Type), stored.Length, stored.Sha256, clock.GetUtcNow());
        try
        {
            var attached = await applications.ChangeAsync(applicationId, a => ApplicationService.OwnedBy(caller, a).AttachDocument(document, caller.AuditName), cancellationToken);
            return (attached, document);
        }
        catch
        {
            // Not the request's token: the request may be what ended, and the bytes must not stay behind.
            await documents.DeleteAsync(applicationId, stored.DocumentId, CancellationToken.None);
            throw;
        }
    }

    public async Task<ApplicationDocumentList> ListAsync(string applicationId, Caller caller, CancellationToken cancellationToken)
        => new((await ReadableAsync(caller, await applications.ReadAsync(applicationId, cancellationToken), cancellationToken)).Documents);

    /// <summary>
    /// Opens a document the application records; one in storage that the application does not
    /// record (an upload whose clean-up failed) is not found.
    /// </summary>
    public async Task<DocumentContent> OpenAsync(string applicationId, string documentId, Caller caller, CancellationToken cancellationToken)
    {
        var application = await ReadableAsync(caller, await applications.ReadAsync(applicationId, cancellationToken), cancellationToken);
        if (application.Documents.All(d => d.DocumentId != documentId)) throw new NotFoundException("Document", documentId);
        return await documents.OpenAsync(applicationId, documentId, cancellationToken);
    }

    /// <summary>Evidence is personal: its candidate and the reviewers of its program (its program managers, administrators) read it, no one else.</summary>
    private async Task<CertificationApplication> ReadableAsync(Caller caller, CertificationApplication application, CancellationToken cancellationToken)
    {
        if (ApplicationService.IsCandidate(caller, application)) return application;
        if (!ApplicationService.IsReviewer(caller)) throw new AccessDeniedException("Only the candidate and the reviewers of an application may read its documents.");
        return await applications.ReviewableAsync(caller, application, cancellationToken);
    }
}
