using CredentialFunctions.App.Http;
using CredentialFunctions.Application.Issuance;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace CredentialFunctions.App.Functions;

/// <summary>
/// An LMS reports a completion; a pass issues a credential, once per LMS event id. The [DurableClient]
/// parameter binds the client the credential's renewal window is started with (<see cref="DurableClientMiddleware"/>).
/// </summary>
public sealed class LmsWebhookFunctions(IssuanceService issuance)
{
    [Function("LmsCompletion")]
    [SignedWebhook(IssuanceIntegrations.Lms)]
    [Accepts(typeof(LmsCompletion))]
    [Answers(StatusCodes.Status201Created, typeof(CompletionResult))]
    [Answers(StatusCodes.Status200OK, typeof(CompletionResult))]
    [Answers(StatusCodes.Status422UnprocessableEntity)]
    public async Task<IActionResult> Completion(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "webhooks/lms/completions")] HttpRequest request,
        [DurableClient] DurableTaskClient durable, CancellationToken cancellationToken)
    {
        var completion = await RequestBody.ReadJsonAsync<LmsCompletion>(request, cancellationToken);
        var (result, firstDelivery) = await issuance.RecordLmsCompletionAsync(completion, cancellationToken);
        var response = new JsonResponse(result, result.Action == CompletionAction.Issued ? StatusCodes.Status201Created : StatusCodes.Status200OK);
        if (result.CertificateId is { } id) response.WithHeader("Location", $"/api/credentials/{id}");
        return firstDelivery ? response : response.WithHeader("Idempotent-Replayed", "true");
    }
}
