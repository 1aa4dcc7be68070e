using CredentialFunctions.Application.Ports;
using CredentialFunctions.Domain;

namespace CredentialFunctions.Application;

/// <summary>
/// Applies a change to a stored record: read, change, write with the ETag; on a conflict read
/// again and re-apply, so two writers never lose each other's change.
/// </summary>
/// <param name="what">The record's kind, as a not-found answer names it.</param>
public class VersionedUpdater<T>(IVersionedStore<T> store, string what) where T : class
{
    private const int MaxAttempts = 10;

    /// <param name="change">The change on the fresh record; null when nothing needs doing (idempotent retries).</param>
    /// <returns>The record as written, or as read when the change had nothing to do.</returns>
    public async Task<T> WriteAsync(string id, Func<T, T?> change, CancellationToken cancellationToken)
        => (await WriteAsync(id, null, change, cancellationToken)).Value;

    /// <param name="known">
    /// The version the caller has just written or read: the change is tried on it first, so a
    /// record changed right after its write needs no read. Stale, its write fails and the record is
    /// read afresh; nothing to do on it, the record is read afresh too, since only a fresh version
    /// can say a change is not needed.
    /// </param>
    /// <returns>The record as written, with its new ETag, or as read when the change had nothing to do.</returns>
    public async Task<Versioned<T>> WriteAsync(string id, Versioned<T>? known, Func<T, T?> change, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var trusted = attempt == 1 && known is not null;
            var current = trusted ? known! : await store.GetAsync(id, cancellationToken) ?? throw new NotFoundException(what, id);
            if (change(current.Value) is not { } result)
            {
                if (trusted) continue;
                return current;
            }
            try
            {
                return new Versioned<T>(result, await store.ReplaceAsync(result, current, cancellationToken));
            }
            catch (ConcurrencyConflictException) when (attempt < MaxAttempts)
            {
                // Someone else wrote first: re-read and re-apply the change to their version. The
                // jitter spreads writers that collided so they do not collide again in lockstep;
                // a known version that was stale collided with no one, so it re-reads at once.
                if (!trusted) await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 10 * attempt)), cancellationToken);
            }
        }
    }
}
