using System.Text.Json;
using CredentialFunctions.Application.Outbox;
using CredentialFunctions.Domain.Applications;
using CredentialFunctions.Domain.Credentials;

namespace CredentialFunctions.Application.Notifications;

/// <summary>
/// The outbox's email channel: an entry's payload is a credential's notification, sent through the
/// notification sender, or an application's notice, sent through <see cref="ApplicationEmails"/>.
/// </summary>
public sealed class EmailOutbox(INotificationSender sender, ApplicationEmails applications) : IOutboxTransport
{
    public OutboxChannel Channel => OutboxChannel.Email;

    /// <summary>The outbox entry that owes this notification, keyed by its delivery key.</summary>
    public static OutboxEntry EntryFor(Notification notification) => OutboxEntry.Pending(
        notification.DeliveryKey, OutboxChannel.Email, notification.Kind.ToString(), JsonSerializer.Serialize(notification, CredentialJson.Options));

    public Task<string> SendAsync(OutboxEntry entry, CancellationToken cancellationToken)
        => ApplicationNotice.IsNotice(entry) ? applications.SendAsync(entry, cancellationToken) : sender.SendAsync(NotificationOf(entry), cancellationToken);

    public Task<string?> FindSentAsync(OutboxEntry entry, CancellationToken cancellationToken)
        => ApplicationNotice.IsNotice(entry) ? applications.FindSentAsync(entry, cancellationToken) : sender.FindSentAsync(NotificationOf(entry), cancellationToken);

    private static Notification NotificationOf(OutboxEntry entry)
        => JsonSerializer.Deserialize<Notification>(entry.Payload ?? throw new InvalidOperationException($"Outbox entry {entry.Key} has no payload to send."), CredentialJson.Options)
            ?? throw new InvalidOperationException($"Outbox entry {entry.Key} holds no notification.");
}
