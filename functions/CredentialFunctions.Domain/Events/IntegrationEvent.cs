using System.Text.Json;
using System.Text.Json.Nodes;
using CredentialFunctions.Domain.Credentials;

namespace CredentialFunctions.Domain.Events;

/// <summary>
/// A fact other systems act on (finance, HR, a CRM, a data warehouse), owed by the record whose
/// state change made it and written in the same ETag-guarded write as that change (the outbox).
/// The transport carries it as a CloudEvent 1.0 whose <c>id</c> is <see cref="Id"/>: derived from
/// the change, so a retried write makes the same event and consumers de-duplicate by it. The
/// CloudEvent's <c>source</c> is the deployment's, added by the transport.
/// </summary>
/// <param name="Type">One of <see cref="EventTypes"/>.</param>
/// <param name="Subject">The record the event is about, e.g. "credentials/{certificateId}" or "applications/{applicationId}".</param>
/// <param name="Data">The event's data, as its JSON Schema in docs/events describes it.</param>
public sealed record IntegrationEvent(string Id, string Type, string Subject, DateTimeOffset Time, JsonObject Data)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The key of the event's entry in its record's outbox.</summary>
    public static string OutboxKey(string eventId) => $"event:{eventId}";

    public OutboxEntry ToOutboxEntry() => OutboxEntry.Pending(OutboxKey(Id), OutboxChannel.Events, Type, JsonSerializer.Serialize(this, Json), Time);

    /// <summary>The event an <see cref="OutboxChannel.Events"/> entry carries.</summary>
    public static IntegrationEvent FromPayload(string payload)
        => JsonSerializer.Deserialize<IntegrationEvent>(payload, Json) ?? throw new JsonException("An event payload was null.");
}

/// <summary>
/// The CloudEvent types published. Payment events go to the payments topic (finance); credential
/// events to the credentials topic (anyone who subscribes). Each has a JSON Schema in docs/events.
/// </summary>
public static class EventTypes
{
    public const string PaymentPrefix = "credentials.payment.";
    public const string PaymentSucceeded = PaymentPrefix + "succeeded";
    public const string PaymentFailed = PaymentPrefix + "failed";
    public const string PaymentRefunded = PaymentPrefix + "refunded";

    public const string CredentialPrefix = "credentials.credential.";
    public const string CredentialIssued = CredentialPrefix + "issued";
    public const string CredentialRenewed = CredentialPrefix + "renewed";
    public const string CredentialRevoked = CredentialPrefix + "revoked";
    public const string CredentialLapsed = CredentialPrefix + "lapsed";
    public const string CredentialReinstated = CredentialPrefix + "reinstated";
    public const string CredentialTrackingEnded = CredentialPrefix + "trackingEnded";

    public static bool IsPayment(string type) => type.StartsWith(PaymentPrefix, StringComparison.Ordinal);
}
