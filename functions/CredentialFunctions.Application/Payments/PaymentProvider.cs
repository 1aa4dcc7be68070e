using CredentialFunctions.Domain;
using CredentialFunctions.Domain.Payments;

namespace CredentialFunctions.Application.Payments;

/// <summary>What a candidate is asked to pay for an approved application.</summary>
/// <param name="CandidateEmail">Prefills the provider's payment page and addresses its receipt.</param>
/// <param name="ReturnUrl">Where the provider sends the candidate back when they pay or give up.</param>
public sealed record CheckoutRequest(string ApplicationId, Money Fee, string ProgramName, string CandidateEmail, Uri ReturnUrl);

/// <summary>The provider's hosted payment page for one application's fee.</summary>
public sealed record CheckoutSession(string ProviderSessionId, Uri PaymentUrl, DateTimeOffset ExpiresAt);

public enum PaymentNoticeKind
{
    /// <summary>The candidate finished checkout but the money is not yet in (a bank debit): wait for a later notice.</summary>
    Pending,
    Succeeded,
    Failed,
    Refunded,
}

/// <summary>
/// A payment provider's word about one payment, in no provider's terms: what the payment webhook's
/// use case acts on.
/// </summary>
/// <param name="Provider">The provider's name, e.g. "stripe".</param>
/// <param name="EventId">The provider's event id: the same event delivered again changes nothing.</param>
/// <param name="ApplicationId">The application the payment is for, when the provider's event says (checkout does; a refund names only the payment).</param>
/// <param name="ProviderPaymentId">The provider's id of the payment itself (Stripe's payment intent), which a refund names.</param>
/// <param name="Amount">What was paid; for a refund, the total refunded so far.</param>
public sealed record PaymentNotice(
    string Provider, string EventId, PaymentNoticeKind Kind, string? ApplicationId, string? ProviderPaymentId, Money Amount, DateTimeOffset OccurredAt);

/// <summary>A payment provider behind a port, so another provider can be added beside Stripe.</summary>
public interface IPaymentProvider
{
    string Name { get; }

    Task<CheckoutSession> StartCheckoutAsync(CheckoutRequest request, CancellationToken cancellationToken);

    /// <summary>Verifies a webhook delivery's signature and reads it.</summary>
    /// <returns>The notice; null for an event type nothing here acts on (accepted and ignored).</returns>
    /// <exception cref="PaymentSignatureException">The signature is missing, wrong or too old.</exception>
    /// <exception cref="ValidationFailedException">The payload is not an event the provider would send.</exception>
    PaymentNotice? ReadNotice(string payload, string? signature);
}

/// <summary>A payment webhook delivery whose signature does not verify (HTTP 401).</summary>
public sealed class PaymentSignatureException(string message) : DomainException(message);
