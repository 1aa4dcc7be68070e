using CredentialFunctions.Application.Outbox;
using CredentialFunctions.Application.Ports;
using CredentialFunctions.Domain.Credentials;
using Microsoft.Extensions.Logging;

namespace CredentialFunctions.Application.Events;

/// <summary>
/// Publishes what a record's outbox still owes from its own changes (<see cref="Domain.Credentials.Outbox.Unsent"/>:
/// a credential's or an application's events, an application's notices by email), each through the
/// outbox dispatcher, so a claim stops two publishers sending one message. Use cases call it right
/// after the write that made them; <see cref="EventRepair"/> calls it for what a crash or an outage
/// left unsent.
/// </summary>
public sealed class EventPublisher<T>(OutboxDispatcher<T> outbox, ILogger<EventPublisher<T>> logger) where T : class, IOwesMessages<T>
{
    /// <summary>
    /// After a use case's write. The write is the truth: publishing failing never fails the use
    /// case, it leaves the events unsent for the repair timer.
    /// </summary>
    /// <param name="written">The record as the use case wrote it.</param>
    public Task TryPublishAsync(string recordId, T written, CancellationToken cancellationToken)
        => TryPublishAsync(recordId, written, null, cancellationToken);

    /// <param name="etag">The ETag the use case's write returned: the first claim then needs no read.</param>
    public Task TryPublishAsync(string recordId, T written, string? etag, CancellationToken cancellationToken)
        => TryAsync(recordId, () => PublishAsync(recordId, written, etag, cancellationToken));

    /// <summary>For a record its use case is about to create: what it owes is claimed in it, so the create is the claim (see <see cref="OutboxDispatcher{T}.ClaimBeforeCreate"/>).</summary>
    public (T Record, IReadOnlyList<OutboxClaim> Claims) ClaimBeforeCreate(T record) => outbox.ClaimBeforeCreate(record);

    /// <summary>After the create of a record from <see cref="ClaimBeforeCreate"/>; as with a publish, failing never fails the use case.</summary>
    public Task TrySendClaimedAsync(string recordId, Versioned<T> created, IReadOnlyList<OutboxClaim> claims, CancellationToken cancellationToken)
        => TryAsync(recordId, () => outbox.SendClaimedAsync(recordId, created, claims, cancellationToken));

    private async Task TryAsync(string recordId, Func<Task> publish)
    {
        try
        {
            await publish();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Events of {RecordId} were not all published now; the event repair publishes them", recordId);
        }
    }

    /// <summary>Dispatches each unsent message of the record against the fresh record; throws the first failure once every one was tried.</summary>
    /// <param name="etag">The ETag <paramref name="record"/> was read or written with, when the caller has it.</param>
    public async Task PublishAsync(string recordId, T record, string? etag, CancellationToken cancellationToken)
    {
        Exception? first = null;
        // Only the first dispatch can trust it: the first claim writes a newer version.
        var known = etag is null ? null : new Versioned<T>(record, etag);
        foreach (var key in record.Outbox.Unsent.Select(e => e.Key).ToList())
        {
            try
            {
                await outbox.DispatchAsync(recordId, c => c.Outbox.Unsent.FirstOrDefault(e => e.Key == key), cancellationToken, known);
                known = null;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                first ??= e;
            }
        }
        if (first is not null) throw first;
    }
}

/// <summary>One kind of record (credentials, applications) as a source of unsent events for <see cref="EventRepair"/>.</summary>
public sealed class RecordEventSource<T>(string kind, IUnsentEvents<T> records, IVersionedStore<T> store, EventPublisher<T> publisher) : IUnsentEventSource
    where T : class, IOwesMessages<T>
{
    public string Kind => kind;

    public Task<Page<string>> WithEventsUnsentBeforeAsync(DateTimeOffset before, string? continuationToken, int pageSize, CancellationToken cancellationToken)
        => records.WithEventsUnsentBeforeAsync(before, continuationToken, pageSize, cancellationToken);

    public async Task PublishAsync(string documentId, CancellationToken cancellationToken)
    {
        if (await store.GetAsync(documentId, cancellationToken) is { } current) await publisher.PublishAsync(documentId, current.Value, current.ETag, cancellationToken);
    }
}
