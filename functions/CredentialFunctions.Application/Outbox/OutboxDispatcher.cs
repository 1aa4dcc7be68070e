using CredentialFunctions.Application.Ports;
using CredentialFunctions.Domain;
using CredentialFunctions.Domain.Credentials;
using Microsoft.Extensions.Logging;

namespace CredentialFunctions.Application.Outbox;

/// <summary>What one dispatch did.</summary>
public enum OutboxDispatch
{
    /// <summary>Nothing: the record no longer owes the message, or it is finished.</summary>
    NotOwed,
    Sent,
    /// <summary>Refused for good, or its attempts spent: recorded as failed permanently.</summary>
    FailedPermanently,
}

/// <summary>Another sender holds a live claim on the entry: retry later, by when it is sent or its claim has run out.</summary>
public sealed class OutboxEntryInProgressException(string key)
    : DomainException($"Outbox entry {key} is being sent by another attempt.");

/// <summary>The bounds every outbox dispatch keeps, whatever record owes the message.</summary>
public static class OutboxPolicy
{
    /// <summary>Longer than any send takes; a claim older than this belongs to a sender that died mid-send.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Attempts before a transient failure is given up on: with the renewal window's retry policy,
    /// that spans two rounds of retries an hour apart.
    /// </summary>
    public const int MaxAttempts = 12;
}

/// <summary>
/// The one way a message owed leaves a record's document, whatever the record and the channel:
/// claim the entry with an ETag-guarded write, hand it to its channel's transport, record the
/// result. At most one send per key while a claim is live; a claim taken over (its sender died) or
/// a retry first asks the provider whether the message already went. Attempts are bounded, so a
/// message can fail but never keep its caller retrying for ever.
/// </summary>
public sealed class OutboxDispatcher<T>(
    VersionedUpdater<T> updater, IEnumerable<IOutboxTransport> transports, IIdSource ids, TimeProvider clock, ILogger<OutboxDispatcher<T>> logger)
    where T : class, IOwesMessages<T>
{
    private readonly Dictionary<OutboxChannel, IOutboxTransport> _transports = transports.ToDictionary(t => t.Channel);

    /// <param name="owed">The entry the record owes now, made from the fresh record; null when it no longer owes it.</param>
    /// <param name="known">The record as its use case just wrote it, with the ETag: claimed without a read first (see <see cref="VersionedUpdater{T}.WriteAsync(string, Versioned{T}?, Func{T, T?}, CancellationToken)"/>).</param>
    /// <exception cref="OutboxEntryInProgressException">Another sender's claim is live.</exception>
    /// <exception cref="OutboxDeliveryException">A transient failure, recorded, with attempts left: try again later.</exception>
    public async Task<OutboxDispatch> DispatchAsync(string recordId, Func<T, OutboxEntry?> owed, CancellationToken cancellationToken, Versioned<T>? known = null)
    {
        var claimant = ids.NewId("send");
        var now = clock.GetUtcNow();
        string? key = null;
        OutboxEntry? before = null;
        var claimedVersion = await updater.WriteAsync(recordId, known, r =>
        {
            var entry = owed(r);
            key = entry?.Key;
            before = entry is null ? null : r.Outbox.Find(entry.Key);
            return entry is null ? null : Claimed(r, entry, claimant, now);
        }, cancellationToken);
        if (key is null || claimedVersion.Value.Outbox.Find(key) is not { State: OutboxState.InProgress } claimed || claimed.ClaimedBy != claimant)
        {
            if (key is not null && claimedVersion.Value.Outbox.Find(key) is { State: OutboxState.InProgress }) throw new OutboxEntryInProgressException(key);
            logger.LogInformation("Outbox entry {Key} of {RecordId} is finished or no longer owed", key, recordId);
            return OutboxDispatch.NotOwed;
        }
        return (await SendAsync(recordId, claimedVersion, new OutboxClaim(key, claimant, before), cancellationToken)).Dispatch;
    }

    /// <summary>
    /// A record not yet written, with every message it owes claimed for one sender: the write that
    /// creates it is then the claim, and <see cref="SendClaimedAsync"/> sends them after it without a
    /// claim's write. A sender that dies between leaves claims that run out as any other does.
    /// </summary>
    public (T Record, IReadOnlyList<OutboxClaim> Claims) ClaimBeforeCreate(T record)
    {
        var claimant = ids.NewId("send");
        var now = clock.GetUtcNow();
        var claims = new List<OutboxClaim>();
        foreach (var entry in record.Outbox.Unsent.ToList())
        {
            if (Claimed(record, entry, claimant, now) is not { } claimed) continue;
            claims.Add(new OutboxClaim(entry.Key, claimant, record.Outbox.Find(entry.Key)));
            record = claimed;
        }
        return (record, claims);
    }

    /// <summary>Sends what <see cref="ClaimBeforeCreate"/> claimed, one after another, each result written on the version the last one left.</summary>
    /// <param name="created">The record as its create wrote it, with the ETag.</param>
    /// <exception cref="OutboxDeliveryException">A transient failure, recorded, with attempts left; the claims after it are left to run out.</exception>
    public async Task SendClaimedAsync(string recordId, Versioned<T> created, IReadOnlyList<OutboxClaim> claims, CancellationToken cancellationToken)
    {
        var latest = created;
        foreach (var claim in claims) latest = (await SendAsync(recordId, latest, claim, cancellationToken)).Latest;
    }

    /// <summary>The record with the entry claimed for the claimant; null when there is nothing to claim (<see cref="Outbox.Claim"/>).</summary>
    private static T? Claimed(T record, OutboxEntry entry, string claimant, DateTimeOffset now)
        => record.Outbox.Claim(entry, claimant, now, OutboxPolicy.Lease) is { } claimed ? record.WithOutbox(claimed) : null;

    /// <summary>Hands a claimed entry to its channel's transport and records the result on the version that holds the claim.</summary>
    private async Task<(OutboxDispatch Dispatch, Versioned<T> Latest)> SendAsync(string recordId, Versioned<T> claimedVersion, OutboxClaim claim, CancellationToken cancellationToken)
    {
        var (key, claimant, before) = claim;
        var claimed = claimedVersion.Value.Outbox.Find(key)!;
        var transport = _transports.TryGetValue(claimed.Channel, out var t)
            ? t
            : throw new InvalidOperationException($"No transport is registered for the {claimed.Channel} channel.");
        string providerMessageId;
        try
        {
            // An earlier attempt that was taken over or failed may have reached the provider all the same.
            if (before is { State: OutboxState.InProgress or OutboxState.Failed } && await transport.FindSentAsync(claimed, cancellationToken) is { } alreadySent)
            {
                logger.LogInformation("Outbox entry {Key} of {RecordId} had already reached the provider as {MessageId}", key, recordId, alreadySent);
                providerMessageId = alreadySent;
            }
            else
            {
                providerMessageId = await transport.SendAsync(claimed, cancellationToken);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Anything the transport did not classify is treated as transient: the bound still ends it.
            var permanently = e is OutboxDeliveryException { IsTransient: false } || claimed.Attempts >= OutboxPolicy.MaxAttempts;
            // The claim's write is the version to change: only a write beside it makes it stale.
            var failed = await updater.WriteAsync(recordId, claimedVersion,
                r => r.Outbox.Find(key)?.ClaimedBy == claimant ? r.WithOutbox(r.Outbox.RecordFailed(key, $"{e.GetType().Name}: {e.Message}", permanently)) : null, CancellationToken.None);
            if (!permanently) throw;
            logger.LogWarning(e, "Gave up on outbox entry {Key} of {RecordId} after {Attempts} attempts", key, recordId, claimed.Attempts);
            return (OutboxDispatch.FailedPermanently, failed);
        }
        var sent = await updater.WriteAsync(recordId, claimedVersion,
            r => r.Outbox.Find(key) is { State: not OutboxState.Sent } ? r.OutboxEntrySent(key, providerMessageId, clock.GetUtcNow()) : null, CancellationToken.None);
        logger.LogInformation("Sent outbox entry {Key} of {RecordId} as {MessageId}", key, recordId, providerMessageId);
        return (OutboxDispatch.Sent, sent);
    }
}

/// <summary>An outbox entry claimed for one sender, and the entry as the record held it before the claim (null when the claim added it).</summary>
public sealed record OutboxClaim(string Key, string Claimant, OutboxEntry? Before);
