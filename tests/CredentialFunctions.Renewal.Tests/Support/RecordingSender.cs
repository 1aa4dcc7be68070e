using System.Collections.Concurrent;
using CredentialFunctions.Application.Notifications;

namespace CredentialFunctions.Renewal.Tests.Support;

/// <summary>Stands in for the email adapter: keeps every message it is asked to send.</summary>
internal sealed class RecordingSender : INotificationSender
{
    private readonly ConcurrentQueue<Notification> _sent = new();

    public IReadOnlyList<Notification> Sent => [.. _sent];

    public IEnumerable<string> KeysFor(string certificateId) => Sent.Where(n => n.CertificateId == certificateId).Select(n => n.DeliveryKey);

    public Task<string> SendAsync(Notification notification, CancellationToken cancellationToken)
    {
        _sent.Enqueue(notification);
        return Task.FromResult($"msg-{notification.CertificateId}/{notification.DeliveryKey}");
    }

    /// <summary>Like a provider with an operation status (ACS): it knows each message it took.</summary>
    public Task<string?> FindSentAsync(Notification notification, CancellationToken cancellationToken)
        => Task.FromResult(Sent.Any(n => n.CertificateId == notification.CertificateId && n.DeliveryKey == notification.DeliveryKey)
            ? $"msg-{notification.CertificateId}/{notification.DeliveryKey}"
            : null);
}
