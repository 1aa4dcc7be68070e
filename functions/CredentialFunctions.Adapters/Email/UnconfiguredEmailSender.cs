using CredentialFunctions.Application.Notifications;

namespace CredentialFunctions.Adapters.Email;

/// <summary>
/// The transport when none is configured: every send fails for good, saying what to set, so each
/// delivery is recorded as failed instead of being pretended.
/// </summary>
public sealed class UnconfiguredEmailSender : IEmailSender
{
    public Task<string> SendAsync(EmailMessage message, CancellationToken cancellationToken) =>
        Task.FromException<string>(new EmailDeliveryException("Email is not configured: set Email__Smtp__Host or Email__Acs__Endpoint.", isTransient: false));

    public Task<string?> FindSentAsync(string idempotencyKey, CancellationToken cancellationToken) => Task.FromResult<string?>(null);
}
