using CredentialFunctions.Domain.Applications;
using CredentialFunctions.Domain.Credentials;

namespace CredentialFunctions.Application.Notifications;

/// <summary>Sends an application's notices to its candidate: renders the notice's template, then hands it to the mail transport.</summary>
public sealed class ApplicationEmails(NotificationTemplates templates, IEmailSender email)
{
    /// <param name="entry">The application's outbox entry carrying the notice (<see cref="ApplicationNotice.IsNotice"/>).</param>
    public Task<string> SendAsync(OutboxEntry entry, CancellationToken cancellationToken)
    {
        var notice = NoticeOf(entry);
        var rendered = templates.Render(notice);
        return email.SendAsync(
            new EmailMessage(notice.CandidateEmail, notice.CandidateName, rendered.Subject, rendered.TextBody, rendered.HtmlBody, IdempotencyKey(notice, entry)),
            cancellationToken);
    }

    public Task<string?> FindSentAsync(OutboxEntry entry, CancellationToken cancellationToken)
        => email.FindSentAsync(IdempotencyKey(NoticeOf(entry), entry), cancellationToken);

    /// <summary>The entry's key names the notice within one application; the application id makes it unique across applications, as a provider's key must be.</summary>
    public static string IdempotencyKey(ApplicationNotice notice, OutboxEntry entry) => $"{notice.ApplicationId}/{entry.Key}";

    private static ApplicationNotice NoticeOf(OutboxEntry entry)
        => ApplicationNotice.FromPayload(entry.Payload ?? throw new InvalidOperationException($"Outbox entry {entry.Key} has no payload to send."));
}
