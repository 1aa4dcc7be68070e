using CredentialFunctions.Application.Outbox;

namespace CredentialFunctions.Application.Notifications;

/// <summary>
/// One rendered email to one recipient. <see cref="IdempotencyKey"/> is the same on every attempt
/// to send the same notification, so a transport can make a resend recognisable.
/// </summary>
public sealed record EmailMessage(string ToAddress, string ToName, string Subject, string TextBody, string HtmlBody, string IdempotencyKey);

/// <summary>Hands an email to a mail provider (SMTP in development, Azure Communication Services in Azure).</summary>
public interface IEmailSender
{
    /// <returns>The provider's id for the message.</returns>
    /// <exception cref="EmailDeliveryException">The provider refused the message or could not be reached.</exception>
    Task<string> SendAsync(EmailMessage message, CancellationToken cancellationToken);

    /// <summary>Asks the provider whether it already took the message with this idempotency key (an attempt whose sender died before recording it).</summary>
    /// <returns>The provider's id for the message when it took it; null when it did not, or the provider cannot say.</returns>
    /// <exception cref="EmailDeliveryException">The provider could not be asked.</exception>
    Task<string?> FindSentAsync(string idempotencyKey, CancellationToken cancellationToken);
}

/// <summary>
/// Sending failed. <see cref="OutboxDeliveryException.IsTransient"/> tells the caller whether trying again later can help
/// (throttling, a provider outage, a timeout) or not (a refused address, missing configuration).
/// </summary>
public sealed class EmailDeliveryException(string message, bool isTransient, Exception? innerException = null)
    : OutboxDeliveryException(message, isTransient, innerException);
