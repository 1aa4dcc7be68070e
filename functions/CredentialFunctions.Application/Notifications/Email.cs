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
}

/// <summary>
/// Sending failed. <see cref="IsTransient"/> tells the caller whether trying again later can help
/// (throttling, a provider outage, a timeout) or not (a refused address, missing configuration).
/// </summary>
public sealed class EmailDeliveryException(string message, bool isTransient, Exception? innerException = null)
    : Exception(message, innerException)
{
    public bool IsTransient { get; } = isTransient;
}
