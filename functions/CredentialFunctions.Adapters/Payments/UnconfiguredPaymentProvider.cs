using CredentialFunctions.Application.Payments;

namespace CredentialFunctions.Adapters.Payments;

/// <summary>
/// The provider when its keys are not set: every call fails saying what to set, instead of a fake
/// that would pretend a payment. A webhook delivery refused this way is retried by Stripe for up to
/// three days, so none is lost while the keys are being put in place.
/// </summary>
public sealed class UnconfiguredPaymentProvider(string name, string reason) : IPaymentProvider
{
    public string Name => name;

    public Task<CheckoutSession> StartCheckoutAsync(CheckoutRequest request, CancellationToken cancellationToken) =>
        Task.FromException<CheckoutSession>(new PaymentProviderException(reason, isTransient: false));

    public PaymentNotice? ReadNotice(string payload, string? signature) => throw new PaymentProviderException(reason, isTransient: false);
}
