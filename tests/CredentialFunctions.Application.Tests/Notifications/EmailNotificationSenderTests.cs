using CredentialFunctions.Application.Notifications;

namespace CredentialFunctions.Application.Tests.Notifications;

public class EmailNotificationSenderTests
{
    private sealed class RecordingEmailSender : IEmailSender
    {
        public List<EmailMessage> Sent { get; } = [];

        public Task<string> SendAsync(EmailMessage message, CancellationToken cancellationToken)
        {
            Sent.Add(message);
            return Task.FromResult($"provider-{Sent.Count}");
        }

        public Task<string?> FindSentAsync(string idempotencyKey, CancellationToken cancellationToken)
            => Task.FromResult(Sent.FindIndex(m => m.IdempotencyKey == idempotencyKey) is var i and >= 0 ? $"provider-{i + 1}" : null);
    }

    [Fact]
    public async Task Asks_the_provider_about_a_notification_by_the_idempotency_key_it_was_sent_with()
    {
        var email = new RecordingEmailSender();
        var sender = new EmailNotificationSender(A.Templates(), email);
        var notification = A.Notification(NotificationKind.RenewalReminder) with { DeliveryKey = "c1:reminder:P60D" };

        Assert.Null(await sender.FindSentAsync(notification, CancellationToken.None));
        var id = await sender.SendAsync(notification, CancellationToken.None);
        Assert.Equal(id, await sender.FindSentAsync(notification, CancellationToken.None));
        Assert.Null(await sender.FindSentAsync(notification with { DeliveryKey = "c1:reminder:P30D" }, CancellationToken.None));
    }

    [Fact]
    public async Task Sends_the_rendered_template_to_the_learner_and_returns_the_providers_id()
    {
        var email = new RecordingEmailSender();
        var notification = A.Notification(NotificationKind.RenewalReminder);

        var id = await new EmailNotificationSender(A.Templates(), email).SendAsync(notification, CancellationToken.None);

        var rendered = A.Templates().Render(notification);
        var sent = Assert.Single(email.Sent);
        Assert.Equal("provider-1", id);
        Assert.Equal(("ada@example.org", "Ada Lovelace"), (sent.ToAddress, sent.ToName));
        Assert.Equal((rendered.Subject, rendered.TextBody, rendered.HtmlBody), (sent.Subject, sent.TextBody, sent.HtmlBody));
    }

    [Fact]
    public async Task The_idempotency_key_is_the_same_for_a_resend_and_differs_between_credentials_sharing_a_delivery_key()
    {
        var email = new RecordingEmailSender();
        var sender = new EmailNotificationSender(A.Templates(), email);
        var notification = A.Notification(NotificationKind.RenewalReminder) with { DeliveryKey = "c1:reminder:P60D" };

        await sender.SendAsync(notification, CancellationToken.None);
        await sender.SendAsync(notification, CancellationToken.None);
        await sender.SendAsync(notification with { CertificateId = "ZZZZ-2K9D-RH4T-WZ5C" }, CancellationToken.None);

        Assert.Equal(
            ["7QXM-2K9D-RH4T-WZ5C/c1:reminder:P60D", "7QXM-2K9D-RH4T-WZ5C/c1:reminder:P60D", "ZZZZ-2K9D-RH4T-WZ5C/c1:reminder:P60D"],
            email.Sent.Select(m => m.IdempotencyKey));
    }
}
