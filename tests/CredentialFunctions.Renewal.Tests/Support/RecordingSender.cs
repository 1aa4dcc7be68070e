using System.Collections.Concurrent;
using CredentialFunctions.Application.Notifications;

namespace CredentialFunctions.Renewal.Tests.Support;

/// <summary>Stands in for the email adapter (built on another branch): keeps every message it is asked to send.</summary>
internal sealed class RecordingSender : INotificationSender
{
    private readonly ConcurrentQueue<Notification> _sent = new();

    public IReadOnlyList<Notification> Sent => [.. _sent];

    public IEnumerable<string> KeysFor(string certificateId) => Sent.Where(n => n.CertificateId == certificateId).Select(n => n.DeliveryKey);

    public Task<string> SendAsync(Notification notification, CancellationToken cancellationToken)
    {
        _sent.Enqueue(notification);
        return Task.FromResult($"msg-{_sent.Count}");
    }
}
