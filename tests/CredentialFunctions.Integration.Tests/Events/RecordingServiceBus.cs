using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Azure.Messaging.ServiceBus;
using Moq;

namespace CredentialFunctions.Integration.Tests.Events;

/// <summary>
/// A Moq'd <see cref="ServiceBusClient"/> (Service Bus cannot run here) whose senders record every
/// message they are given, by topic, alone or in message batches (of at most
/// <see cref="MessagesPerBatch"/> and <see cref="MaxMessageBytes"/> a message, as a broker's size
/// limit would cut them); a test can make the next sends of a topic throw.
/// </summary>
public sealed class RecordingServiceBus
{
    public const string Namespace = "sb-test.servicebus.windows.net";

    private readonly ConcurrentDictionary<string, ConcurrentQueue<ServiceBusMessage>> _sent = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<Exception>> _failures = new();

    private readonly ConcurrentDictionary<string, ConcurrentQueue<int>> _batches = new();
    private readonly ConditionalWeakTable<ServiceBusMessageBatch, List<ServiceBusMessage>> _batchMessages = new();

    public Mock<ServiceBusClient> Client { get; } = new(MockBehavior.Strict);

    public int MessagesPerBatch { get; set; } = 100;

    public int MaxMessageBytes { get; set; } = 256 * 1024;

    public RecordingServiceBus()
    {
        Client.Setup(c => c.CreateSender(It.IsAny<string>())).Returns((string topic) => SenderFor(topic));
        Client.Setup(c => c.DisposeAsync()).Returns(ValueTask.CompletedTask);
    }

    public IReadOnlyList<ServiceBusMessage> SentTo(string topic) => _sent.TryGetValue(topic, out var sent) ? [.. sent] : [];

    /// <summary>The number of messages in each batch sent to the topic, in order.</summary>
    public IReadOnlyList<int> BatchesSentTo(string topic) => _batches.TryGetValue(topic, out var batches) ? [.. batches] : [];

    /// <summary>The body of each message sent to the topic, as the CloudEvent JSON a subscriber reads.</summary>
    public IReadOnlyList<JsonElement> CloudEventsSentTo(string topic)
        => [.. SentTo(topic).Select(m => JsonDocument.Parse(m.Body.ToString()).RootElement.Clone())];

    /// <summary>The next send to the topic throws this, once.</summary>
    public void FailNextSend(string topic, Exception failure) => _failures.GetOrAdd(topic, _ => new()).Enqueue(failure);

    private ServiceBusSender SenderFor(string topic)
    {
        var sender = new Mock<ServiceBusSender>(MockBehavior.Strict);
        sender.SetupGet(s => s.EntityPath).Returns(topic);
        sender.Setup(s => s.SendMessageAsync(It.IsAny<ServiceBusMessage>(), It.IsAny<CancellationToken>()))
            .Returns((ServiceBusMessage message, CancellationToken _) =>
            {
                if (_failures.TryGetValue(topic, out var failures) && failures.TryDequeue(out var failure)) return Task.FromException(failure);
                _sent.GetOrAdd(topic, _ => new()).Enqueue(message);
                return Task.CompletedTask;
            });
        sender.Setup(s => s.CreateMessageBatchAsync(It.IsAny<CancellationToken>())).Returns(() =>
        {
            var messages = new List<ServiceBusMessage>();
            var batch = ServiceBusModelFactory.ServiceBusMessageBatch(MessagesPerBatch * (long)MaxMessageBytes, messages,
                tryAddCallback: m => messages.Count < MessagesPerBatch && m.Body.ToMemory().Length <= MaxMessageBytes);
            _batchMessages.Add(batch, messages);
            return ValueTask.FromResult(batch);
        });
        sender.Setup(s => s.SendMessagesAsync(It.IsAny<ServiceBusMessageBatch>(), It.IsAny<CancellationToken>()))
            .Returns((ServiceBusMessageBatch batch, CancellationToken _) =>
            {
                if (_failures.TryGetValue(topic, out var failures) && failures.TryDequeue(out var failure)) return Task.FromException(failure);
                var messages = _batchMessages.TryGetValue(batch, out var m) ? m : throw new InvalidOperationException("A batch this sender did not make.");
                foreach (var message in messages) _sent.GetOrAdd(topic, _ => new()).Enqueue(message);
                _batches.GetOrAdd(topic, _ => new()).Enqueue(messages.Count);
                return Task.CompletedTask;
            });
        sender.Setup(s => s.DisposeAsync()).Returns(ValueTask.CompletedTask);
        return sender.Object;
    }
}
