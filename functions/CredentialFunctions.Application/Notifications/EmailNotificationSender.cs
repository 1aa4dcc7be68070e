namespace CredentialFunctions.Application.Notifications;

/// <summary>Sends notifications as email: renders the kind's template, then hands it to the mail transport.</summary>
public sealed class EmailNotificationSender(NotificationTemplates templates, IEmailSender email) : INotificationSender
{
    public Task<string> SendAsync(Notification notification, CancellationToken cancellationToken)
    {
        var rendered = templates.Render(notification);
        return email.SendAsync(
            new EmailMessage(notification.LearnerEmail, notification.LearnerName, rendered.Subject, rendered.TextBody, rendered.HtmlBody, IdempotencyKey(notification)),
            cancellationToken);
    }

    public Task<string?> FindSentAsync(Notification notification, CancellationToken cancellationToken)
        => email.FindSentAsync(IdempotencyKey(notification), cancellationToken);

    /// <summary>
    /// The delivery key names the occasion within one credential; prefixing the certificate id makes
    /// it unique across credentials, which is what a provider's idempotency key must be.
    /// </summary>
    public static string IdempotencyKey(Notification notification) => $"{notification.CertificateId}/{notification.DeliveryKey}";
}
