using CredentialFunctions.App.Http;
using CredentialFunctions.Application.Applications;
using CredentialFunctions.Domain.Applications;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace CredentialFunctions.App.Functions;

/// <summary>
/// The exam provider reports a result on an application, signed with its shared secret; a pass
/// issues the credential (the [DurableClient] binding starts its renewal window), once per result id.
/// </summary>
public sealed class ExamWebhookFunctions(ApplicationResults results)
{
    [Function("ExamProviderResult")]
    [SignedWebhook(IssuanceIntegrations.ExamProvider)]
    [Accepts(typeof(ExamProviderResult))]
    [Answers(StatusCodes.Status200OK, typeof(CertificationApplication))]
    [Answers(StatusCodes.Status409Conflict)]
    [Answers(StatusCodes.Status412PreconditionFailed)]
    [Answers(StatusCodes.Status422UnprocessableEntity)]
    public async Task<IActionResult> Result(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "webhooks/exams/results")] HttpRequest request,
        [DurableClient] DurableTaskClient durable, CancellationToken cancellationToken)
    {
        var result = await RequestBody.ReadJsonAsync<ExamProviderResult>(request, cancellationToken);
        var (application, firstDelivery) = await results.RecordExamProviderResultAsync(result, request.Caller(), cancellationToken);
        var response = new JsonResponse(application);
        return firstDelivery ? response : response.WithHeader("Idempotent-Replayed", "true");
    }
}
