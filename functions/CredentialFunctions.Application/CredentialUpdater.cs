using CredentialFunctions.Application.Ports;
using CredentialFunctions.Domain;
using CredentialFunctions.Domain.Credentials;

namespace CredentialFunctions.Application;

/// <summary>
/// Applies a domain change to a stored credential: read, change, write with the ETag; on a
/// conflict read again and re-apply, so two writers never lose each other's change.
/// </summary>
public sealed class CredentialUpdater(ICredentialStore store)
{
    private const int MaxAttempts = 10;

    /// <param name="change">The domain transition; return null when, on the fresh record, nothing needs doing (idempotent retries).</param>
    public Task<Credential> UpdateAsync(string certificateId, Func<Credential, CredentialChange?> change, CancellationToken cancellationToken)
        => UpdateUnauditedAsync(certificateId, current => change(current)?.Credential, cancellationToken);

    /// <summary>
    /// For operational records the audit chain does not cover (delivery claims and failed attempts):
    /// the same read-change-write with the ETag, without an audit entry.
    /// </summary>
    public async Task<Credential> UpdateUnauditedAsync(string certificateId, Func<Credential, Credential?> change, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var current = await store.GetAsync(certificateId, cancellationToken)
                ?? throw new NotFoundException("Credential", certificateId);
            if (change(current.Value) is not { } result) return current.Value;
            try
            {
                await store.ReplaceAsync(result, current.ETag, cancellationToken);
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
