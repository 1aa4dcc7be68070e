using System.Text.Json.Nodes;
using CredentialFunctions.Application.Ports;
using CredentialFunctions.Domain.Credentials;
using CredentialFunctions.Domain.Events;
using Microsoft.Azure.Cosmos;

namespace CredentialFunctions.Adapters.Cosmos;

/// <summary>
/// The event repair's query of credentials that owe an event. Every write of a credential stamps
/// <see cref="EventsUnsentSinceField"/>: the time of its oldest event not yet sent, null when all
/// are sent. So the query is one range filter on one small top-level path, served by the container's
/// "/*" range index (the outbox itself is not indexed), and reads only the few records that owe
/// something. Records written before events existed carry no field and owe none.
/// </summary>
public sealed class CosmosUnsentCredentialEvents(CredentialDatabase database) : IUnsentCredentialEvents
{
    public const string EventsUnsentSinceField = "eventsUnsentSince";

    private const string Unsent = $"SELECT c.id FROM c WHERE c.{EventsUnsentSinceField} < @before";

    private readonly Container _container = database.Container(CosmosLayout.Credentials);

    public async Task<Page<string>> WithEventsUnsentBeforeAsync(DateTimeOffset before, string? continuationToken, int pageSize, CancellationToken cancellationToken)
    {
        var query = new QueryDefinition(Unsent).WithParameter("@before", CosmosRenewalWindowRecords.Sortable(before));
        using var iterator = _container.GetItemQueryStreamIterator(query, continuationToken, new QueryRequestOptions { MaxItemCount = pageSize });
        if (!iterator.HasMoreResults) return new Page<string>([], null);
        var page = await CosmosDocuments.ReadPageAsync<DocumentId>(iterator, cancellationToken);
        return new Page<string>([.. page.Items.Select(d => d.Id)], page.ContinuationToken) { Unreadable = page.Unreadable };
    }

    /// <summary>The credential's document with the time of its oldest unsent event, for the query above.</summary>
    internal static JsonObject WithUnsentEventsStamp(JsonObject document, Credential credential)
    {
        var oldest = credential.Outbox.UnsentEvents.Select(e => (DateTimeOffset?)IntegrationEvent.FromPayload(e.Payload!).Time).Min();
        document[EventsUnsentSinceField] = oldest is { } at ? CosmosRenewalWindowRecords.Sortable(at) : null;
        return document;
    }

    private sealed record DocumentId(string Id);
}
