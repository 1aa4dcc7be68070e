using CredentialFunctions.App.Http;
using CredentialFunctions.Application.Access;
using CredentialFunctions.Application.Applications;
using CredentialFunctions.Domain.Applications;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace CredentialFunctions.App.Functions;

/// <summary>
/// A candidate's evidence (a diploma scan, a training certificate): the candidate uploads the raw
/// file as the request body, streamed into storage; the candidate and the reviewers list and download.
/// </summary>
public sealed class ApplicationDocumentFunctions(ApplicationDocumentService documents)
{
    [Function("UploadApplicationDocument")]
    [RequireRole(Role.Learner)]
    [Accepts(typeof(Stream), MediaTypes = ["application/pdf", "image/png", "image/jpeg", "application/octet-stream"])]
    [QueryParameter("fileName", "The document's file name, as it is offered back on download (at most 255 characters).", Required = true)]
    [QueryParameter("requirement", "The name of the pathway's required document this one answers (one of the pathway's documents[].name).")]
    [Answers(StatusCodes.Status201Created, typeof(CertificationApplication))]
    [Answers(StatusCodes.Status403Forbidden)]
    [Answers(StatusCodes.Status404NotFound)]
    [Answers(StatusCodes.Status409Conflict)]
    public async Task<IActionResult> Upload(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "applications/{applicationId}/documents")] HttpRequest request, string applicationId,
        CancellationToken cancellationToken)
    {
        var upload = new DocumentUpload(request.Query["fileName"].FirstOrDefault(), request.Query["requirement"].FirstOrDefault());
        var (application, document) = await documents.AttachAsync(applicationId, upload, request.Body, request.ContentLength, request.Caller(), cancellationToken);
        return new JsonResponse(application, StatusCodes.Status201Created)
            .WithHeader("Location", $"/api/applications/{applicationId}/documents/{document.DocumentId}");
    }

    [Function("ListApplicationDocuments")]
    [RequireRole(Role.Learner, Role.Administrator, Role.ProgramManager)]
    [Answers(StatusCodes.Status200OK, typeof(ApplicationDocumentList))]
    [Answers(StatusCodes.Status403Forbidden)]
    [Answers(StatusCodes.Status404NotFound)]
    public async Task<IActionResult> List(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "applications/{applicationId}/documents")] HttpRequest request, string applicationId,
        CancellationToken cancellationToken)
        => new JsonResponse(await documents.ListAsync(applicationId, request.Caller(), cancellationToken));

    [Function("DownloadApplicationDocument")]
    [RequireRole(Role.Learner, Role.Administrator, Role.ProgramManager)]
    [Answers(StatusCodes.Status200OK, typeof(string), ContentType = "application/pdf")]
    [Answers(StatusCodes.Status200OK, typeof(string), ContentType = "image/png")]
    [Answers(StatusCodes.Status200OK, typeof(string), ContentType = "image/jpeg")]
    [Answers(StatusCodes.Status403Forbidden)]
    [Answers(StatusCodes.Status404NotFound)]
    public async Task<IActionResult> Download(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "applications/{applicationId}/documents/{documentId}")] HttpRequest request, string applicationId,
        string documentId, CancellationToken cancellationToken)
    {
        var (document, content) = await documents.OpenAsync(applicationId, documentId, request.Caller(), cancellationToken);
        return new DownloadResponse(content, DocumentSignature.MediaType(document.Type), document.Length, document.FileName);
    }
}
