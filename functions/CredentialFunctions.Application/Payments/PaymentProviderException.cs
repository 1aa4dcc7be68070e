namespace CredentialFunctions.Application.Payments;

/// <summary>
/// The payment provider could not do what was asked: it is not configured, it refused the request,
/// or it could not be reached. Not a domain rule, so not a <see cref="Domain.DomainException"/>: the
/// HTTP edge answers 503, with Retry-After when <see cref="IsTransient"/> says trying again can help
/// (throttling, an outage) rather than not (no keys set, a request the provider refuses).
/// </summary>
public sealed class PaymentProviderException(string message, bool isTransient, Exception? innerException = null)
    : Exception(message, innerException)
{
    public bool IsTransient { get; } = isTransient;
}
