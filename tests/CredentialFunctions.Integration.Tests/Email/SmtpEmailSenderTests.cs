using CredentialFunctions.Adapters.Email;
using CredentialFunctions.Application.Notifications;
using CredentialFunctions.Domain.Programs;
using CredentialFunctions.LocalHost;
using CredentialFunctions.Testing.Email;
using MailKit.Security;

namespace CredentialFunctions.Integration.Tests.Email;

/// <summary>Notifications rendered and sent over real SMTP with MailKit, read back from maildev.</summary>
public sealed class SmtpEmailSenderTests(MailDevFixture maildev) : IClassFixture<MailDevFixture>
{
    private static readonly NotificationTemplates Templates = new(new Uri("https://credentials.example.org/"));

    private EmailOptions Options(int? port = null) => new()
    {
        SenderAddress = "DoNotReply@credentials.example.org",
        Smtp = { Host = "127.0.0.1", Port = port ?? maildev.SmtpPort, Security = SecureSocketOptions.None },
    };

    private static Notification Reminder(string email) => new(
        NotificationKind.RenewalReminder, "c1:reminder:P60D", "7QXM-2K9D-RH4T-WZ5C", "Ada Lovelace", email, "Certified Widgetmaker", "Widget Board",
        new DateTimeOffset(2027, 3, 14, 9, 0, 0, TimeSpan.Zero), null, 60, [RenewalPathway.RetakeExam, RenewalPathway.RefresherModule]);

    private static string Recipient() => $"learner-{Guid.NewGuid():N}@example.org";

    [Fact]
    public async Task Delivers_the_rendered_notification_to_the_learner_as_text_and_HTML_alternatives()
    {
        var address = Recipient();
        var notification = Reminder(address);

        var id = await new EmailNotificationSender(Templates, new SmtpEmailSender(Options())).SendAsync(notification, CancellationToken.None);

        var rendered = Templates.Render(notification);
        var received = Assert.Single(await maildev.WaitForInboxAsync(address));
        Assert.Equal(new ReceivedAddress(address, "Ada Lovelace"), Assert.Single(received.To));
        Assert.Equal("DoNotReply@credentials.example.org", Assert.Single(received.From).Address);
        Assert.Equal(rendered.Subject, received.Subject);
        Assert.Equal(rendered.TextBody.TrimEnd(), received.Text?.Replace("\r\n", "\n").TrimEnd());
        // maildev re-serializes the HTML it shows, so compare what matters rather than every byte.
        Assert.Contains("<li>Retake and pass the exam</li><li>Complete the refresher module</li>", received.Html);
        Assert.Contains("<a href=\"https://credentials.example.org/api/renew/7QXM-2K9D-RH4T-WZ5C\">Start your renewal</a>", received.Html);
        Assert.Contains("multipart/alternative", await maildev.SourceAsync(received), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(SmtpEmailSender.MessageIdFor(EmailNotificationSender.IdempotencyKey(notification), "credentials.example.org"), id);
        Assert.Equal(id, received.MessageId);
    }

    [Fact]
    public async Task A_resend_of_the_same_notification_carries_the_same_Message_ID_and_another_notification_a_different_one()
    {
        var address = Recipient();
        var sender = new EmailNotificationSender(Templates, new SmtpEmailSender(Options()));

        await sender.SendAsync(Reminder(address), CancellationToken.None);
        await sender.SendAsync(Reminder(address), CancellationToken.None);
        await sender.SendAsync(Reminder(address) with { DeliveryKey = "c1:reminder:P30D", DaysLeft = 30 }, CancellationToken.None);

        var inbox = await maildev.WaitForInboxAsync(address, count: 3);
        var sixtyDays = inbox.Where(m => m.Subject.StartsWith("60 days", StringComparison.Ordinal)).Select(m => m.MessageId).ToList();
        var thirtyDays = inbox.Single(m => m.Subject.StartsWith("30 days", StringComparison.Ordinal)).MessageId;
        Assert.Equal(2, sixtyDays.Count);
        Assert.Single(sixtyDays.Distinct());
        Assert.NotEqual(sixtyDays[0], thirtyDays);
    }

    [Fact]
    public async Task A_server_that_cannot_be_reached_is_a_transient_failure()
    {
        var nobodyListens = LocalCosmosServer.FreePort();

        var failure = await Assert.ThrowsAsync<EmailDeliveryException>(() =>
            new SmtpEmailSender(Options(nobodyListens)).SendAsync(Message(Recipient()), CancellationToken.None));

        Assert.True(failure.IsTransient);
    }

    [Fact]
    public async Task An_address_that_is_not_one_is_a_permanent_failure_and_nothing_is_sent()
    {
        var failure = await Assert.ThrowsAsync<EmailDeliveryException>(() =>
            new SmtpEmailSender(Options()).SendAsync(Message("ada at example dot org"), CancellationToken.None));

        Assert.False(failure.IsTransient);
        Assert.Empty(await maildev.InboxAsync("ada at example dot org"));
    }

    [Theory]
    [InlineData("550 5.1.1 No such mailbox", false)]
    [InlineData("552 5.2.2 Mailbox full", false)]
    [InlineData("450 4.2.1 Mailbox busy, try again later", true)]
    [InlineData("451 4.3.0 Temporary local problem", true)]
    public async Task A_refused_recipient_is_permanent_on_a_5xx_reply_and_transient_on_a_4xx(string reply, bool transient)
    {
        await using var server = new RefusingSmtpServer(reply);

        var failure = await Assert.ThrowsAsync<EmailDeliveryException>(() =>
            new SmtpEmailSender(Options(server.Port)).SendAsync(Message(Recipient()), CancellationToken.None));

        Assert.Equal(transient, failure.IsTransient);
        Assert.Contains(reply[..3], failure.Message);
    }

    [Fact]
    public async Task SMTP_cannot_say_whether_a_message_went_so_a_retry_sends_it_again()
        => Assert.Null(await new SmtpEmailSender(Options()).FindSentAsync("7QXM-2K9D-RH4T-WZ5C/c1:reminder:P60D", CancellationToken.None));

    private static EmailMessage Message(string to) => new(to, "Ada Lovelace", "Subject", "Text", "<p>Html</p>", $"key-{Guid.NewGuid():N}");
}
