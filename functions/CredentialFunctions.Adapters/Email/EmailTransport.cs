using Azure.Core;
using CredentialFunctions.Application.Notifications;

namespace CredentialFunctions.Adapters.Email;

/// <summary>Picks the one transport the settings describe (see <see cref="EmailOptions"/>).</summary>
public static class EmailTransport
{
    /// <remarks>SMTP wins when both are set, so a developer can point a copy of the Azure settings at a local maildev.</remarks>
    public static IEmailSender Create(EmailOptions options, TokenCredential credential)
    {
        if (!string.IsNullOrWhiteSpace(options.Smtp.Host)) return new SmtpEmailSender(options);
        if (!string.IsNullOrWhiteSpace(options.Acs.Endpoint)) return new AcsEmailSender(options, credential);
        return new UnconfiguredEmailSender();
    }
}
