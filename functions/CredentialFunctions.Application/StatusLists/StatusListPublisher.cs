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
                    var fresh = await AllocateAsync(StatusPurpose.Revocation, cancellationToken);
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
        var entries = new StatusListEntries(
            await AllocateAsync(StatusPurpose.Revocation, cancellationToken),
            await AllocateAsync(StatusPurpose.Suspension, cancellationToken));
        return await updater.UpdateUnauditedAsync(certificateId, c => c.StatusLists is null ? c.WithStatusLists(entries) : null, cancellationToken);
    }

    /// <summary>
    /// An index at random among the free ones of the first list of the purpose that has one, taken
    /// by an ETag-guarded write so two issuances never take the same index; a full list sends the
    /// allocation to the next number, created by the first who needs it.
    /// </summary>
    private async Task<StatusListEntry> AllocateAsync(StatusPurpose purpose, CancellationToken cancellationToken)
    {
        for (var number = 1; ; number++)
        {
            var id = StatusList.IdOf(purpose, number);
            // Whoever creates it, the write below reads it fresh.
            if (await lists.GetAsync(id, cancellationToken) is null) await lists.TryCreateAsync(StatusList.Empty(purpose, number), cancellationToken);
            int? index = null;
            await _lists.WriteAsync(id, list =>
            {
                var allocated = list.Allocate(random.Next);
                index = allocated?.Index;
                return allocated?.List;
            }, cancellationToken);
            if (index is { } taken) return new StatusListEntry(purpose, number, taken, Published: false);
        }
    }

    private Task SetAsync(StatusListEntry entry, bool bit, CancellationToken cancellationToken)
        => _lists.WriteAsync(StatusList.IdOf(entry.Purpose, entry.List), list => list.WithStatus(entry.Index, bit) is var changed && !ReferenceEquals(changed, list) ? changed : null, cancellationToken);
}
