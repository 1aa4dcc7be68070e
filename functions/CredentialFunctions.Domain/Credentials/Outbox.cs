using System.Text.Json.Serialization;

namespace CredentialFunctions.Domain.Credentials;

/// <summary>How an outbox entry travels: email to a person, or an integration event (a CloudEvent on Service Bus).</summary>
public enum OutboxChannel { Email, Events }

/// <summary>
/// Where a message owed stands, as in eShop's integration event log: made (pending), claimed by one
/// sender (in progress), sent, failed and open to another attempt, or failed for good.
/// </summary>
public enum OutboxState { Pending, InProgress, Sent, Failed, FailedPermanently }

/// <summary>
/// One message the credential owes someone, by its key (e.g. "c2:reminder:P60D"): what it is, on
/// which channel, and how far its sending got. The claim a sender takes on it is what keeps a
/// retried or concurrent sender from sending it twice.
/// </summary>
/// <param name="Type">What the message is in its channel's terms: a notification kind, a CloudEvent type.</param>
/// <param name="Payload">The message as its channel's transport reads it (JSON); null once the entry is finished.</param>
/// <param name="ProviderMessageId">The provider's id for the message, once it took it.</param>
public sealed record OutboxEntry(
    string Key, OutboxChannel Channel, string Type, string? Payload, OutboxState State, int Attempts,
    string? ClaimedBy, DateTimeOffset? AttemptedAt, string? ProviderMessageId, string? Failure)
{
    public const int MaxFailureLength = 500;

    /// <summary>
    /// When the record's own change made the entry, in the write that made the change (an event, an
    /// application's notice): nothing but the outbox will send it, so the repair sweeps it once it
    /// has been owed a while. Null for a message its sender makes as it sends (a renewal window's
    /// email, added by its claim): that sender's own retries finish it.
    /// </summary>
    public DateTimeOffset? OwedSince { get; init; }

    /// <param name="owedSince">See <see cref="OwedSince"/>.</param>
    public static OutboxEntry Pending(string key, OutboxChannel channel, string type, string payload, DateTimeOffset? owedSince = null)
        => new(key, channel, type, payload, OutboxState.Pending, 0, null, null, null, null) { OwedSince = owedSince };

    /// <summary>Sent, or given up on: nothing more will be attempted.</summary>
    [JsonIgnore]
    public bool IsFinished => State is OutboxState.Sent or OutboxState.FailedPermanently;
}

/// <summary>
/// The messages a credential owes, by key: a part of the credential document, written with the
/// record's ETag like every other change. Operational, so not in the record digest: the audit trail
/// records each message actually sent.
/// </summary>
public sealed record Outbox(IReadOnlyList<OutboxEntry> Entries)
{
    public static readonly Outbox Empty = new([]);

    public OutboxEntry? Find(string key) => Entries.FirstOrDefault(e => e.Key == key);

    /// <summary>A message owed from now on; one already owed under its key stays as it stands.</summary>
    public Outbox Add(OutboxEntry entry) => Find(entry.Key) is null ? new([.. Entries, entry]) : this;

    /// <summary>The events not yet sent (pending, claimed, or failed and open to another attempt).</summary>
    public IEnumerable<OutboxEntry> UnsentEvents => Entries.Where(e => e is { Channel: OutboxChannel.Events, IsFinished: false });

    /// <summary>
    /// What the record's own changes made and is not yet sent, on any channel: what its publisher
    /// sends after the write and the repair sweeps (see <see cref="OutboxEntry.OwedSince"/>). Every
    /// event is here, also one written before entries carried the time.
    /// </summary>
    public IEnumerable<OutboxEntry> Unsent => Entries.Where(e => !e.IsFinished && (e.OwedSince is not null || e.Channel == OutboxChannel.Events));

    /// <summary>
    /// Claims an entry for one sender, adding it if it is new; its payload is taken from
    /// <paramref name="entry"/>, the message as the record says it now. Null when there is nothing to
    /// claim: it is finished, or another sender claimed it less than <paramref name="lease"/> ago. A
    /// claim older than the lease belongs to a sender that died mid-send, which may have reached the
    /// provider: its taker asks the provider before sending again.
    /// </summary>
    public Outbox? Claim(OutboxEntry entry, string claimant, DateTimeOffset at, TimeSpan lease)
    {
        var existing = Find(entry.Key);
        if (existing is { IsFinished: true }) return null;
        if (existing is { State: OutboxState.InProgress, AttemptedAt: { } claimedAt } && existing.ClaimedBy != claimant && at - claimedAt < lease) return null;
        return With((existing ?? entry) with
        {
            Payload = entry.Payload,
            State = OutboxState.InProgress,
            Attempts = (existing?.Attempts ?? 0) + 1,
            ClaimedBy = claimant,
            AttemptedAt = at,
        });
    }

    /// <summary>A message that went is sent, whatever a rival sender recorded meanwhile.</summary>
    public Outbox RecordSent(string key, string providerMessageId)
        => With((Find(key) ?? throw new InvalidTransitionException($"Outbox entry {key} was never claimed.")) with { State = OutboxState.Sent, Payload = null, ProviderMessageId = providerMessageId, Failure = null });

    /// <summary>
    /// An entry another record sends in the record's stead (a bulk issuance's batch ledger, which
    /// sends the events of every credential its batch creates): finished here, named for that sender.
    /// Written into the record's create, so no write of the record is owed once the message goes. The
    /// payload stays: it is what that sender sends, also when it finishes the send after a crash.
    /// </summary>
    public Outbox HandedTo(string key, string sender)
        => With((Find(key) ?? throw new InvalidTransitionException($"Outbox entry {key} is not owed.")) with { State = OutboxState.Sent, ClaimedBy = sender });

    /// <summary>Whether <paramref name="sender"/> took the entry over (<see cref="HandedTo"/>).</summary>
    public bool IsHandedTo(string key, string sender) => Find(key) is { State: OutboxState.Sent, ProviderMessageId: null } entry && entry.ClaimedBy == sender;

    /// <param name="permanently">True when trying again cannot help (a refused address, the attempts spent): the entry is finished.</param>
    public Outbox RecordFailed(string key, string failure, bool permanently)
    {
        var claimed = Claimed(key);
        return With(claimed with
        {
            State = permanently ? OutboxState.FailedPermanently : OutboxState.Failed,
            Payload = permanently ? null : claimed.Payload,
            Failure = failure.Length > OutboxEntry.MaxFailureLength ? failure[..OutboxEntry.MaxFailureLength] : failure,
        });
    }

    private OutboxEntry Claimed(string key) => Find(key) is { State: OutboxState.InProgress } claimed
        ? claimed
        : throw new InvalidTransitionException($"Outbox entry {key} is not claimed by a sender.");

    private Outbox With(OutboxEntry entry) => new([.. Entries.Where(e => e.Key != entry.Key), entry]);
}

/// <summary>
/// A record that owes messages (a credential, an application): its outbox travels in its document,
/// so an entry is made, claimed and finished by the record's own ETag-guarded writes.
/// </summary>
public interface IOwesMessages<TSelf> where TSelf : IOwesMessages<TSelf>
{
    Outbox Outbox { get; }

    TSelf WithOutbox(Outbox outbox);

    /// <summary>The record once the message under <paramref name="key"/> went: its outbox entry sent, and whatever else the record keeps of a message sent.</summary>
    TSelf OutboxEntrySent(string key, string providerMessageId, DateTimeOffset at);
}

/// <summary>
/// An email claim as records written before the outbox hold it (their "deliveries"): read into the
/// outbox, never written.
/// </summary>
internal sealed record LegacyDelivery(string Key, string Kind, string ClaimedBy, int Attempts, DateTimeOffset AttemptedAt, LegacyDeliveryResult Result, string? ProviderMessageId, string? Failure)
{
    public OutboxEntry ToOutboxEntry() => new(Key, OutboxChannel.Email, Kind, null,
        Result switch
        {
            LegacyDeliveryResult.Sent => OutboxState.Sent,
            LegacyDeliveryResult.Failed => OutboxState.Failed,
            _ => OutboxState.InProgress,
        },
        Attempts, ClaimedBy, AttemptedAt, ProviderMessageId, Failure);
}

internal enum LegacyDeliveryResult { Sending, Sent, Failed }
