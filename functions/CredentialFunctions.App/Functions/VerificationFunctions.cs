using CredentialFunctions.App.Http;
using CredentialFunctions.Application.Access;
using CredentialFunctions.Application.Verification;
using CredentialFunctions.Domain.Credentials;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace CredentialFunctions.App.Functions;

/// <summary>Public verification by id, link or QR, and the full record for those entitled to it.</summary>
public sealed class VerificationFunctions(VerificationService verification, CredentialRecords records)
{
    [Function("VerifyCredential")]
    [Anonymous]
    [Answers(StatusCodes.Status200OK, typeof(VerificationResult))]
    [Answers(StatusCodes.Status400BadRequest)]
    [Answers(StatusCodes.Status404NotFound)]
    public async Task<IActionResult> Verify(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "verify/{certificateId}")] HttpRequest request, string certificateId, CancellationToken cancellationToken)
        // A status can change any minute (grace, lapse, revocation): never serve it from a cache.
        => new JsonResponse(await verification.VerifyAsync(certificateId, cancellationToken)).WithHeader("Cache-Control", "no-store");

    [Function("GetCredential")]
    [RequireRole(Role.Administrator, Role.ProgramManager, Role.Auditor, Role.Learner)]
    [Answers(StatusCodes.Status200OK, typeof(Credential))]
    [Answers(StatusCodes.Status400BadRequest)]
    [Answers(StatusCodes.Status404NotFound)]
    public async Task<IActionResult> Get(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "credentials/{certificateId}")] HttpRequest request, string certificateId, CancellationToken cancellationToken)
    {
        var record = await records.GetAsync(certificateId, request.Caller(), cancellationToken);
        return new JsonResponse(record.Value).WithETag(record.ETag).WithHeader("Cache-Control", "private, no-store");
    }
}
