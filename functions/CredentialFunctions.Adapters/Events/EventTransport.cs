using Azure.Messaging.ServiceBus;
using CredentialFunctions.Adapters.ServiceBus;
using CredentialFunctions.Application.Outbox;
using CredentialFunctions.Domain.Credentials;

namespace CredentialFunctions.Adapters.Events;

/// <summary>Picks the one events transport the settings describe (see <see cref="EventOptions"/>).</summary>
public static class EventTransport
{
    /// <param name="client">Asked for only when a namespace is configured.</param>
    public static IOutboxTransport Create(ServiceBusOptions serviceBus, EventOptions events, Func<ServiceBusClient> client)
    {
        if (!Uri.TryCreate(events.Source, UriKind.Absolute, out var source))
            return new UnconfiguredEventTransport($"Events__Source must be an absolute URI (this deployment's address), not '{events.Source}'.");
        if (!string.IsNullOrWhiteSpace(serviceBus.FullyQualifiedNamespace)) return new ServiceBusEventTransport(client(), serviceBus, source);
        if (!string.IsNullOrWhiteSpace(events.LocalLogPath)) return new JsonLinesEventLog(events.LocalLogPath, source);
        return new UnconfiguredEventTransport("Events are not configured: set ServiceBus__FullyQualifiedNamespace (or, locally, Events__LocalLogPath).");
    }
}

/// <summary>
/// The events channel when nothing is configured: every send fails for good, saying what to set,
/// so each event stays in its record's outbox as failed instead of being dropped or pretended sent.
/// </summary>
public sealed class UnconfiguredEventTransport(string problem) : IOutboxTransport
{
    public OutboxChannel Channel => OutboxChannel.Events;

    public Task<string> SendAsync(OutboxEntry entry, CancellationToken cancellationToken)
        => Task.FromException<string>(new OutboxDeliveryException(problem, isTransient: false));

    public Task<string?> FindSentAsync(OutboxEntry entry, CancellationToken cancellationToken) => Task.FromResult<string?>(null);
}
