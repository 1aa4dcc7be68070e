using System.Text.Json;
using CredentialFunctions.Adapters.Events;
using CredentialFunctions.Domain.Events;
using CredentialFunctions.LocalHost;
using Json.Schema;

namespace CredentialFunctions.Integration.Tests.Events;

/// <summary>docs/events holds the contract subscribers build on: every event the app publishes matches its type's schema.</summary>
public sealed class EventContractTests
{
    private static readonly string Docs = Path.Combine(RepositoryRoot.Find(), "docs", "events");

    public static TheoryData<string> CredentialEventTypes => [.. LifecycleChanges.ByEventType.Keys];

    private static JsonSchema SchemaOf(string type)
        => JsonSchema.Build(JsonDocument.Parse(File.ReadAllText(Path.Combine(Docs, $"{type}.schema.json"))).RootElement,
            new BuildOptions { SchemaRegistry = new SchemaRegistry() });

    [Fact]
    public void Every_event_type_has_a_schema_and_every_schema_an_event_type()
    {
        var types = typeof(EventTypes).GetFields()
            .Where(f => f.IsLiteral && !f.Name.EndsWith("Prefix", StringComparison.Ordinal))
            .Select(f => (string)f.GetRawConstantValue()!);

        Assert.Equal(types.Order(), Directory.GetFiles(Docs, "*.schema.json").Select(f => Path.GetFileName(f)[..^".schema.json".Length]).Order());
    }

    [Theory]
    [MemberData(nameof(CredentialEventTypes))]
    public void The_CloudEvent_of_every_credential_change_matches_its_schema(string type)
    {
        var change = LifecycleChanges.ByEventType[type]();
        var published = IntegrationEvent.FromPayload(change.Credential.Outbox.UnsentEvents.Single(e => e.Type == type).Payload!);
        var cloudEvent = JsonDocument.Parse(CloudEventEnvelope.Structured(published, new Uri("https://func-test.azurewebsites.net")).ToString()).RootElement;

        AssertMatchesSchema(type, cloudEvent);
    }

    /// <summary>The CloudEvent a subscriber reads is valid against its type's schema in docs/events; the failure names each error.</summary>
    internal static void AssertMatchesSchema(string type, JsonElement cloudEvent)
    {
        var results = SchemaOf(type).Evaluate(cloudEvent, new EvaluationOptions { OutputFormat = OutputFormat.List });

        Assert.True(results.IsValid, string.Join("; ", (results.Details ?? []).Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"))) + "\n" + cloudEvent);
    }

    [Fact]
    public void A_schema_refuses_an_event_of_another_type_so_the_check_above_can_fail()
    {
        var issued = LifecycleChanges.ByEventType[EventTypes.CredentialIssued]().Credential.Outbox.UnsentEvents.Single();
        var cloudEvent = JsonDocument.Parse(CloudEventEnvelope.Structured(IntegrationEvent.FromPayload(issued.Payload!), new Uri("https://func-test.azurewebsites.net")).ToString()).RootElement;

        Assert.False(SchemaOf(EventTypes.CredentialRenewed).Evaluate(cloudEvent).IsValid);
    }
}
