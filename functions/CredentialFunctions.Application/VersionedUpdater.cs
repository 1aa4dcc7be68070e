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
    {
        for (var attempt = 1; ; attempt++)
        {
            var current = await store.GetAsync(id, cancellationToken) ?? throw new NotFoundException(what, id);
            if (change(current.Value) is not { } result) return current.Value;
            try
            {
                await store.ReplaceAsync(result, current, cancellationToken);
                return result;
            }
            catch (ConcurrencyConflictException) when (attempt < MaxAttempts)
            {
                // Someone else wrote first: re-read and re-apply the change to their version. The
                // jitter spreads writers that collided so they do not collide again in lockstep.
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 10 * attempt)), cancellationToken);
            }
        }
    }
}
