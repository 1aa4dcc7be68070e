using System.Text.Json.Nodes;
using CredentialFunctions.Application.Ports;
using CredentialFunctions.Domain.Credentials;
using CredentialFunctions.Domain.Events;
using Microsoft.Azure.Cosmos;

namespace CredentialFunctions.Adapters.Cosmos;

/// <summary>
/// The stamp the event repair's query reads. Every write of a record with an outbox (a credential,
/// an application) stamps <see cref="EventsUnsentSinceField"/>: the time of its oldest message not
/// yet sent of those its changes made (<see cref="Outbox.Unsent"/>: events, and an application's
/// notices; the field keeps the name it had when it held events only), null when all are sent. So the query is one range filter on one small top-level path,
/// served by the container's "/*" range index (the outbox itself is not indexed), and reads only the
/// few records that owe something. Records written before events existed carry no field and owe none.
/// </summary>
public static class CosmosUnsentEvents
{
    public const string EventsUnsentSinceField = "eventsUnsentSince";

    /// <summary>The record document's field of the time of its oldest unsent message, for <see cref="CosmosUnsentEvents{T}"/>.</summary>
    internal static (string, JsonNode?) UnsentEventsStamp(Outbox outbox)
    {
        // An event written before entries carried the time carries it in its payload.
        var oldest = outbox.Unsent.Select(e => e.OwedSince ?? IntegrationEvent.FromPayload(e.Payload!).Time).Cast<DateTimeOffset?>().Min();
        return (EventsUnsentSinceField, oldest is { } at ? CosmosRenewalWindowRecords.Sortable(at) : null);
    }
}

/// <summary>The event repair's query of the records of one container that owe an event (see <see cref="CosmosUnsentEvents"/>).</summary>
public sealed class CosmosUnsentEvents<T>(Container container) : IUnsentEvents<T>
{
    private const string Unsent = $"SELECT c.id FROM c WHERE c.{CosmosUnsentEvents.EventsUnsentSinceField} < @before";

    public async Task<Page<string>> WithEventsUnsentBeforeAsync(DateTimeOffset before, string? continuationToken, int pageSize, CancellationToken cancellationToken)
    {
        var query = new QueryDefinition(Unsent).WithParameter("@before", CosmosRenewalWindowRecords.Sortable(before));
        using var iterator = container.GetItemQueryStreamIterator(query, continuationToken, new QueryRequestOptions { MaxItemCount = pageSize });
        if (!iterator.HasMoreResults) return new Page<string>([], null);
        var page = await CosmosDocuments.ReadPageAsync<DocumentId>(iterator, cancellationToken);
        return new Page<string>([.. page.Items.Select(d => d.Id)], page.ContinuationToken) { Unreadable = page.Unreadable };
    }

    private sealed record DocumentId(string Id);
}
