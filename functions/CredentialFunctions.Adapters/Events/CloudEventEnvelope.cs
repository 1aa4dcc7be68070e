using System.Text.Json;
using Azure.Messaging;
using CredentialFunctions.Domain.Events;

namespace CredentialFunctions.Adapters.Events;

/// <summary>An integration event as the CloudEvent 1.0 every transport carries, in the structured JSON format.</summary>
public static class CloudEventEnvelope
{
    public const string ContentType = "application/cloudevents+json";

    public static CloudEvent Of(IntegrationEvent integrationEvent, Uri source)
        => new(source.ToString(), integrationEvent.Type, BinaryData.FromString(integrationEvent.Data.ToJsonString()), "application/json", CloudEventDataFormat.Json)
        {
            Id = integrationEvent.Id,
            Subject = integrationEvent.Subject,
            Time = integrationEvent.Time,
        };

    /// <summary>The structured JSON of the event: Azure.Core's CloudEvent serializes itself that way.</summary>
    public static BinaryData Structured(IntegrationEvent integrationEvent, Uri source)
        => BinaryData.FromBytes(JsonSerializer.SerializeToUtf8Bytes(Of(integrationEvent, source)));
}
