using System.Text;
using CredentialFunctions.Adapters.Payments;
using CredentialFunctions.App.Http;
using CredentialFunctions.Application.Applications;
using CredentialFunctions.Application.Payments;
using CredentialFunctions.Domain.Applications;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace CredentialFunctions.App.Functions;

/// <summary>What the provider is told: the event, and what it did (nothing, for one nothing here acts on or a repeat).</summary>
public sealed record PaymentNoticeAnswer(string? EventId, string? ApplicationId, ApplicationStatus? Status, bool Applied);

/// <summary>The payment provider reports payments, failed payments and refunds; verified by the provider's own signature check.</summary>
public sealed class PaymentWebhookFunctions(IPaymentProvider provider, ApplicationService applications)
{
    public const string StripeSignatureHeader = "Stripe-Signature";

    [Function("StripePaymentWebhook")]
    [PaymentProviderWebhook(StripePaymentProvider.ProviderName, StripeSignatureHeader)]
    [Answers(StatusCodes.Status200OK, typeof(PaymentNoticeAnswer))]
    [Answers(StatusCodes.Status400BadRequest)]
    [Answers(StatusCodes.Status404NotFound)]
    [Answers(StatusCodes.Status409Conflict)]
    [Answers(StatusCodes.Status413PayloadTooLarge)]
    [Answers(StatusCodes.Status422UnprocessableEntity)]
    [Answers(StatusCodes.Status503ServiceUnavailable)]
    public async Task<IActionResult> Stripe(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "webhooks/payments/stripe")] HttpRequest request, CancellationToken cancellationToken)
    {
        var payload = Encoding.UTF8.GetString(await RequestBody.ReadBytesAsync(request, cancellationToken));
        if (provider.ReadNotice(payload, request.Headers[StripeSignatureHeader].ToString()) is not { } notice)
            return new JsonResponse(new PaymentNoticeAnswer(null, null, null, Applied: false));
        var (application, first) = await applications.ApplyPaymentNoticeAsync(notice, request.Caller(), cancellationToken);
        var answer = new JsonResponse(new PaymentNoticeAnswer(notice.EventId, application?.ApplicationId, application?.Status, Applied: application is not null && first));
        return first ? answer : answer.WithHeader("Idempotent-Replayed", "true");
    }
}
