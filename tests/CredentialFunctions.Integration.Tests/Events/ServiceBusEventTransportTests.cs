using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Messaging.ServiceBus;
using CredentialFunctions.Adapters.Events;
using CredentialFunctions.Adapters.ServiceBus;
using CredentialFunctions.Application.Outbox;
using CredentialFunctions.Domain.Credentials;
using CredentialFunctions.Domain.Events;

namespace CredentialFunctions.Integration.Tests.Events;

public sealed class ServiceBusEventTransportTests
{
    private static readonly Uri Source = new("https://func-test.azurewebsites.net");
    private readonly RecordingServiceBus _bus = new();
    private readonly ServiceBusOptions _options = new() { FullyQualifiedNamespace = RecordingServiceBus.Namespace };

    private ServiceBusEventTransport Transport() => new(_bus.Client.Object, _options, Source);

    public static TheoryData<string> CredentialEventTypes => [.. LifecycleChanges.ByEventType.Keys];

    private static OutboxEntry EntryOf(string type)
        => LifecycleChanges.ByEventType[type]().Credential.Outbox.UnsentEvents.Single(e => e.Type == type);

    [Theory]
    [MemberData(nameof(CredentialEventTypes))]
    public async Task A_credential_event_is_one_structured_CloudEvent_on_the_credentials_topic_with_the_event_id_as_MessageId(string type)
    {
        var entry = EntryOf(type);
        var published = IntegrationEvent.FromPayload(entry.Payload!);

        var messageId = await Transport().SendAsync(entry, CancellationToken.None);

        var message = Assert.Single(_bus.SentTo(_options.CredentialsTopic));
        Assert.Empty(_bus.SentTo(_options.PaymentsTopic));
        Assert.Equal((published.Id, published.Id, "application/cloudevents+json", published.Subject, type),
            (messageId, message.MessageId, message.ContentType, message.Subject, message.ApplicationProperties["type"]));
        var cloudEvent = JsonDocument.Parse(message.Body.ToString()).RootElement;
        Assert.Equal(("1.0", published.Id, Source.ToString(), type, published.Subject, "application/json"),
            (Text(cloudEvent, "specversion"), Text(cloudEvent, "id"), Text(cloudEvent, "source"), Text(cloudEvent, "type"), Text(cloudEvent, "subject"), Text(cloudEvent, "datacontenttype")));
        Assert.Equal(published.Time, cloudEvent.GetProperty("time").GetDateTimeOffset());
        Assert.True(JsonNode.DeepEquals(published.Data, JsonNode.Parse(cloudEvent.GetProperty("data").GetRawText())));
    }

    [Fact]
    public async Task A_payment_event_goes_to_the_payments_topic_for_finance()
    {
        var payment = new IntegrationEvent("app-1:payment:1", EventTypes.PaymentSucceeded, "applications/app-1", A.Jan1, new JsonObject { ["applicationId"] = "app-1" });

        await Transport().SendAsync(payment.ToOutboxEntry(), CancellationToken.None);

        Assert.Equal("app-1:payment:1", Assert.Single(_bus.SentTo(_options.PaymentsTopic)).MessageId);
        Assert.Empty(_bus.SentTo(_options.CredentialsTopic));
    }

    [Theory]
    [InlineData(ServiceBusFailureReason.ServiceBusy, true)]
    [InlineData(ServiceBusFailureReason.ServiceTimeout, true)]
    [InlineData(ServiceBusFailureReason.ServiceCommunicationProblem, true)]
    [InlineData(ServiceBusFailureReason.QuotaExceeded, true)]
    [InlineData(ServiceBusFailureReason.MessageSizeExceeded, false)]
    [InlineData(ServiceBusFailureReason.MessagingEntityNotFound, false)]
    public async Task A_refusal_is_transient_when_waiting_can_cure_it(ServiceBusFailureReason reason, bool transient)
    {
        _bus.FailNextSend(_options.CredentialsTopic, new ServiceBusException("refused", reason));

        var failure = await Assert.ThrowsAsync<OutboxDeliveryException>(() => Transport().SendAsync(EntryOf(EventTypes.CredentialIssued), CancellationToken.None));

        Assert.Equal(transient, failure.IsTransient);
        Assert.Contains(reason.ToString(), failure.Message, StringComparison.Ordinal);
    }

    private static OutboxEntry Issued(int i)
        => new IntegrationEvent($"cert-{i}:1", EventTypes.CredentialIssued, $"credentials/cert-{i}", A.Jan1, new JsonObject { ["certificateId"] = $"cert-{i}" }).ToOutboxEntry();

    [Fact]
    public async Task A_batch_of_events_goes_in_as_few_sends_per_topic_as_the_message_batch_size_allows_each_event_once()
    {
        var payment = new IntegrationEvent("app-1:payment:1", EventTypes.PaymentSucceeded, "applications/app-1", A.Jan1, new JsonObject { ["applicationId"] = "app-1" });
        var entries = Enumerable.Range(1, 250).Select(Issued).Append(payment.ToOutboxEntry()).ToList();

        await Transport().SendAllAsync(entries, CancellationToken.None);

        Assert.Equal([100, 100, 50], _bus.BatchesSentTo(_options.CredentialsTopic));
        Assert.Equal([1], _bus.BatchesSentTo(_options.PaymentsTopic));
        Assert.Equal(Enumerable.Range(1, 250).Select(i => $"cert-{i}:1"), _bus.SentTo(_options.CredentialsTopic).Select(m => m.MessageId));
        var message = _bus.SentTo(_options.CredentialsTopic)[0];
        Assert.Equal(("application/cloudevents+json", "credentials/cert-1", EventTypes.CredentialIssued), (message.ContentType, message.Subject, message.ApplicationProperties["type"]));
        Assert.Equal("cert-1:1", _bus.CloudEventsSentTo(_options.CredentialsTopic)[0].GetProperty("id").GetString());
    }

    [Fact]
    public async Task A_refused_batch_send_fails_as_a_single_send_would()
    {
        _bus.MessagesPerBatch = 10;
        _bus.FailNextSend(_options.CredentialsTopic, new ServiceBusException("busy", ServiceBusFailureReason.ServiceBusy));

        var failure = await Assert.ThrowsAsync<OutboxDeliveryException>(() => Transport().SendAllAsync([.. Enumerable.Range(1, 25).Select(Issued)], CancellationToken.None));

        Assert.True(failure.IsTransient);
        Assert.Contains("a batch of 10 events", failure.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(ServiceBusFailureReason.ServiceBusy), failure.Message, StringComparison.Ordinal);
        Assert.Empty(_bus.SentTo(_options.CredentialsTopic));
    }

    [Fact]
    public async Task An_event_too_large_for_an_empty_batch_is_refused_for_good_after_the_ones_before_it_are_sent()
    {
        _bus.MaxMessageBytes = 2_000;
        var large = new IntegrationEvent("cert-big:1", EventTypes.CredentialIssued, "credentials/cert-big", A.Jan1, new JsonObject { ["note"] = new string('x', 5_000) }).ToOutboxEntry();

        var failure = await Assert.ThrowsAsync<OutboxDeliveryException>(() => Transport().SendAllAsync([Issued(1), Issued(2), large], CancellationToken.None));

        Assert.False(failure.IsTransient);
        Assert.Contains("cert-big:1", failure.Message, StringComparison.Ordinal);
        Assert.Equal(["cert-1:1", "cert-2:1"], _bus.SentTo(_options.CredentialsTopic).Select(m => m.MessageId));
    }

    [Fact]
    public async Task Service_Bus_cannot_be_asked_what_it_holds_so_a_resend_relies_on_the_MessageId()
        => Assert.Null(await Transport().FindSentAsync(EntryOf(EventTypes.CredentialIssued), CancellationToken.None));

    [Fact]
    public async Task Without_a_namespace_events_go_to_the_local_log_and_without_either_every_send_fails_for_good()
    {
        var path = Path.Combine(Path.GetTempPath(), "credential-functions-tests", Guid.NewGuid().ToString("N") + ".events.jsonl");
        var local = EventTransport.Create(new ServiceBusOptions(), new EventOptions { Source = Source.ToString(), LocalLogPath = path }, () => throw new InvalidOperationException("no client without a namespace"));
        var entry = EntryOf(EventTypes.CredentialIssued);

        Assert.Equal(IntegrationEvent.FromPayload(entry.Payload!).Id, await local.SendAsync(entry, CancellationToken.None));
        Assert.Equal(IntegrationEvent.FromPayload(entry.Payload!).Id, await local.FindSentAsync(entry, CancellationToken.None));
        Assert.Equal(EventTypes.CredentialIssued, Text(Assert.Single(await ((JsonLinesEventLog)local).ReadAsync(CancellationToken.None)), "type"));

        var unconfigured = EventTransport.Create(new ServiceBusOptions(), new EventOptions { Source = Source.ToString() }, () => throw new InvalidOperationException("no client without a namespace"));
        var failure = await Assert.ThrowsAsync<OutboxDeliveryException>(() => unconfigured.SendAsync(entry, CancellationToken.None));
        Assert.False(failure.IsTransient);
        Assert.Contains("ServiceBus__FullyQualifiedNamespace", failure.Message, StringComparison.Ordinal);
    }

    private static string? Text(JsonElement e, string name) => e.GetProperty(name).GetString();
}
