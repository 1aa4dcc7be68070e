using Azure.Messaging.ServiceBus;
using CredentialFunctions.Adapters.Events;
using CredentialFunctions.Application.Outbox;
using CredentialFunctions.Domain.Credentials;
using CredentialFunctions.Domain.Events;

namespace CredentialFunctions.Adapters.ServiceBus;

/// <summary>
/// The outbox's events channel on Service Bus: payment events to the payments topic (finance),
/// credential events to the credentials topic, each message the event's structured CloudEvent with
/// the event id as its <c>MessageId</c>, so the topic's duplicate detection drops a re-publish.
/// </summary>
public sealed class ServiceBusEventTransport(ServiceBusClient client, ServiceBusOptions options, Uri source) : IOutboxTransport, IAsyncDisposable
{
    private readonly ServiceBusSender _payments = client.CreateSender(options.PaymentsTopic);
    private readonly ServiceBusSender _credentials = client.CreateSender(options.CredentialsTopic);

    public OutboxChannel Channel => OutboxChannel.Events;

    public async Task<string> SendAsync(OutboxEntry entry, CancellationToken cancellationToken)
    {
        var integrationEvent = EventOf(entry);
        var sender = SenderOf(integrationEvent);
        await SendingAsync(sender, $"event {integrationEvent.Id}", () => sender.SendMessageAsync(MessageOf(integrationEvent), cancellationToken));
        return integrationEvent.Id;
    }

    /// <summary>
    /// A batch's events (a bulk issuance batch's thousand) in as few sends per topic as the broker's
    /// message batch size allows, rather than one send each. Not atomic across sends: a failure
    /// leaves the earlier sends delivered, and a retry sends them again under the same MessageIds,
    /// which the topic's duplicate detection drops.
    /// </summary>
    public async Task SendAllAsync(IReadOnlyList<OutboxEntry> entries, CancellationToken cancellationToken)
    {
        foreach (var topic in entries.Select(EventOf).GroupBy(e => EventTypes.IsPayment(e.Type)))
        {
            var sender = SenderOf(topic.First());
            var batch = await sender.CreateMessageBatchAsync(cancellationToken);
            Task SendBatchAsync() => SendingAsync(sender, $"a batch of {batch.Count} events", () => sender.SendMessagesAsync(batch, cancellationToken));
            try
            {
                foreach (var integrationEvent in topic)
                {
                    var message = MessageOf(integrationEvent);
                    if (batch.TryAddMessage(message)) continue;
                    if (batch.Count > 0)
                    {
                        await SendBatchAsync();
                        batch.Dispose();
                        batch = await sender.CreateMessageBatchAsync(cancellationToken);
                        if (batch.TryAddMessage(message)) continue;
                    }
                    throw new OutboxDeliveryException($"Event {integrationEvent.Id} is larger than a Service Bus message may be on topic {sender.EntityPath}.", isTransient: false);
                }
                if (batch.Count > 0) await SendBatchAsync();
            }
            finally
            {
                batch.Dispose();
            }
        }
    }

    private static IntegrationEvent EventOf(OutboxEntry entry)
        => IntegrationEvent.FromPayload(entry.Payload ?? throw new InvalidOperationException($"Outbox entry {entry.Key} has no payload to send."));

    private ServiceBusSender SenderOf(IntegrationEvent integrationEvent) => EventTypes.IsPayment(integrationEvent.Type) ? _payments : _credentials;

    private static async Task SendingAsync(ServiceBusSender sender, string what, Func<Task> send)
    {
        try
        {
            await send();
        }
        catch (ServiceBusException e)
        {
            throw new OutboxDeliveryException($"Service Bus refused {what} for topic {sender.EntityPath}: {e.Reason}: {e.Message}", IsTransient(e), e);
        }
    }

    /// <summary>
    /// Service Bus cannot be asked whether it holds a message. So a send that may have gone before a
    /// crash is simply sent again with the same MessageId: inside the topic's duplicate detection
    /// window the broker drops it, and past it a subscriber de-duplicates by the CloudEvent id.
    /// </summary>
    public Task<string?> FindSentAsync(OutboxEntry entry, CancellationToken cancellationToken) => Task.FromResult<string?>(null);

    public ServiceBusMessage MessageOf(IntegrationEvent integrationEvent) => new(CloudEventEnvelope.Structured(integrationEvent, source))
    {
        MessageId = integrationEvent.Id,
        ContentType = CloudEventEnvelope.ContentType,
        Subject = integrationEvent.Subject,
        // A subscription's SQL filter can pick event types without reading the body: type = 'credentials.credential.revoked'.
        ApplicationProperties = { ["type"] = integrationEvent.Type },
    };

    /// <summary>
    /// What waiting can cure is transient: a busy or unreachable broker, a full topic that consumers
    /// drain. A message too large or a topic that does not exist will be refused however often it
    /// is sent again.
    /// </summary>
    private static bool IsTransient(ServiceBusException e) => e.Reason switch
    {
        ServiceBusFailureReason.MessageSizeExceeded or ServiceBusFailureReason.MessagingEntityNotFound => false,
        ServiceBusFailureReason.ServiceBusy or ServiceBusFailureReason.ServiceTimeout or ServiceBusFailureReason.ServiceCommunicationProblem
            or ServiceBusFailureReason.QuotaExceeded or ServiceBusFailureReason.MessagingEntityDisabled => true,
        _ => e.IsTransient,
    };

    public async ValueTask DisposeAsync()
    {
        await _payments.DisposeAsync();
        await _credentials.DisposeAsync();
    }
}
