using CredentialFunctions.Application.Ports;
using CredentialFunctions.Domain;
using CredentialFunctions.Domain.Credentials;
using CredentialFunctions.Domain.StatusLists;

namespace CredentialFunctions.Application.StatusLists;

/// <summary>
/// Keeps the status lists saying what the credential records say. The record is written first
/// (its revocation or suspension, with its audit entry); then each list bit that differs is
/// written with the list's ETag, and only then the record notes the bit as published. A crash
/// anywhere in between leaves the record marked <see cref="Credential.StatusListsBehind"/>, which
/// the next publication or <see cref="StatusListReconciliation"/> finishes: every step is
/// idempotent, and a bit is noted as published only while the record still wants it.
/// </summary>
public sealed class StatusListPublisher(IStatusListStore lists, ICredentialStore credentials, CredentialUpdater updater, IRandomSource random)
{
    /// <summary>Rounds of publication before giving up on a record whose status keeps changing under it.</summary>
    private const int MaxRounds = 10;

    private readonly VersionedUpdater<StatusList> _lists = new(lists, "Status list");

    /// <summary>Gives the credential its two entries if it has none yet, then brings both lists in line with it.</summary>
    public async Task<Credential> PublishAsync(string certificateId, CancellationToken cancellationToken)
    {
        var credential = await AssignAsync(certificateId, cancellationToken);
        for (var round = 1; credential.StatusListsBehind; round++)
        {
            if (round > MaxRounds) throw new ConcurrencyConflictException($"The status of {certificateId} kept changing while it was published; the sweep will publish it.");
            foreach (var entry in credential.StatusLists!.All)
            {
                var bit = credential.StatusBit(entry.Purpose);
                if (entry.Published == bit) continue;
                if (entry is { Purpose: StatusPurpose.Revocation, Published: true })
                {
                    // Reinstated after a revocation: the verifiable credentials that named the revoked index
                    // stay revoked for good, as revocation is; the record (and what is issued from it now) takes a fresh index.
                    var fresh = (await AllocateAsync(StatusPurpose.Revocation, 1, cancellationToken))[0];
                    credential = await updater.UpdateUnauditedAsync(certificateId,
                        c => c.StatusLists!.Revocation == entry ? c.WithStatusLists(c.StatusLists.With(fresh)) : null, cancellationToken);
                    continue;
                }
                await SetAsync(entry, bit, cancellationToken);
                credential = await updater.UpdateUnauditedAsync(certificateId,
                    c => c.StatusLists!.For(entry.Purpose) == entry && c.StatusBit(entry.Purpose) == bit ? c.WithStatusLists(c.StatusLists.With(entry.AsPublished(bit))) : null,
                    cancellationToken);
            }
        }
        return credential;
    }

    /// <summary>
    /// The credential with its revocation and suspension entries, assigned now if it has none: at issue,
    /// and at first need for a credential issued before the lists. Two assigning at once both allocate;
    /// the record keeps the first, and the other's indexes stay taken, unused.
    /// </summary>
    public async Task<Credential> AssignAsync(string certificateId, CancellationToken cancellationToken)
    {
        var credential = (await credentials.GetAsync(certificateId, cancellationToken) ?? throw new NotFoundException("Credential", certificateId)).Value;
        if (credential.StatusLists is not null) return credential;
        var entries = await AllocateEntriesAsync(cancellationToken);
        return await updater.UpdateUnauditedAsync(certificateId, c => c.StatusLists is null ? c.WithStatusLists(entries) : null, cancellationToken);
    }

    /// <summary>
    /// Indexes are taken from the lists <see cref="ReservedAtOnce"/> at a time and handed out from
    /// this process's reserve, so a cohort's issuances do not queue on one list document's ETag. An
    /// index reserved and never handed out (the process ended first) stays taken and unused, as one
    /// lost to a race does; it reads as a credential in good standing, which costs no privacy.
    /// </summary>
    public const int ReservedAtOnce = 32;

    private readonly Dictionary<StatusPurpose, Reserve> _reserves = Enum.GetValues<StatusPurpose>().ToDictionary(p => p, _ => new Reserve());

    /// <summary>A purpose's reserved entries; one refill at a time, so concurrent takers share it rather than each taking a block.</summary>
    private sealed class Reserve
    {
        public SemaphoreSlim Refill { get; } = new(1, 1);

        public Queue<StatusListEntry> Entries { get; } = new();

        /// <summary>
        /// The first list this process has not found full, and whether it is known to exist. A taken
        /// index is never given back, so a full list stays full: without this every refill would read
        /// each full list of the purpose (a 131,072-entry document, twice) before reaching one with room.
        /// </summary>
        public int FirstWithRoom { get; set; } = 1;

        public bool FirstWithRoomExists { get; set; }
    }

    /// <summary>Two fresh entries, one per purpose, for a credential about to be written: the one write of its lists it needs is then none.</summary>
    public async Task<StatusListEntries> AllocateEntriesAsync(CancellationToken cancellationToken)
        => (await AllocateEntriesAsync(1, cancellationToken))[0];

    /// <summary>As many pairs of entries at once, for a batch of credentials: the reserve is refilled once for all of them.</summary>
    public async Task<IReadOnlyList<StatusListEntries>> AllocateEntriesAsync(int count, CancellationToken cancellationToken)
    {
        // Two lists, two documents: taken side by side.
        var (revocation, suspension) = (AllocateAsync(StatusPurpose.Revocation, count, cancellationToken), AllocateAsync(StatusPurpose.Suspension, count, cancellationToken));
        return [.. (await revocation).Zip(await suspension, (r, s) => new StatusListEntries(r, s))];
    }

    private async Task<IReadOnlyList<StatusListEntry>> AllocateAsync(StatusPurpose purpose, int count, CancellationToken cancellationToken)
    {
        var reserve = _reserves[purpose];
        await reserve.Refill.WaitAsync(cancellationToken);
        try
        {
            // Whole blocks, so what is left over serves the next takers as a single issuance's block would.
            while (reserve.Entries.Count < count)
                foreach (var entry in await TakeAsync(reserve, purpose, ReservedAtOnce * ((count - reserve.Entries.Count + ReservedAtOnce - 1) / ReservedAtOnce), cancellationToken))
                    reserve.Entries.Enqueue(entry);
            return [.. Enumerable.Range(0, count).Select(_ => reserve.Entries.Dequeue())];
        }
        finally
        {
            reserve.Refill.Release();
        }
    }

    /// <summary>
    /// Up to <paramref name="count"/> indexes at random among the free ones of the first list of the
    /// purpose that has any, taken by one ETag-guarded write so two takers never take the same index;
    /// a full list sends the taking to the next number, created by the first who needs it.
    /// </summary>
    /// <remarks>Called under the reserve's refill lock, which guards its list hint too.</remarks>
    private async Task<IReadOnlyList<StatusListEntry>> TakeAsync(Reserve reserve, StatusPurpose purpose, int count, CancellationToken cancellationToken)
    {
        for (var number = reserve.FirstWithRoom; ; number++)
        {
            var id = StatusList.IdOf(purpose, number);
            // Whoever creates it, the write below reads it fresh.
            if (!(number == reserve.FirstWithRoom && reserve.FirstWithRoomExists) && await lists.GetAsync(id, cancellationToken) is null)
                await lists.TryCreateAsync(StatusList.Empty(purpose, number), cancellationToken);
            IReadOnlyList<int> taken = [];
            await _lists.WriteAsync(id, list =>
            {
                (list, taken) = list.AllocateMany(count, random.Next);
                return taken.Count == 0 ? null : list;
            }, cancellationToken);
            if (taken.Count > 0)
            {
                (reserve.FirstWithRoom, reserve.FirstWithRoomExists) = (number, true);
                return taken.Select(index => new StatusListEntry(purpose, number, index, Published: false)).ToList();
            }
            (reserve.FirstWithRoom, reserve.FirstWithRoomExists) = (number + 1, false);
        }
    }

    private Task SetAsync(StatusListEntry entry, bool bit, CancellationToken cancellationToken)
        => _lists.WriteAsync(StatusList.IdOf(entry.Purpose, entry.List), list => list.WithStatus(entry.Index, bit) is var changed && !ReferenceEquals(changed, list) ? changed : null, cancellationToken);
}
