using CredentialFunctions.Application.Ports;
using CredentialFunctions.Domain.Credentials;

namespace CredentialFunctions.Application;

/// <summary>Applies a domain change to a stored credential with the ETag (see <see cref="VersionedUpdater{T}"/>).</summary>
public sealed class CredentialUpdater(ICredentialStore store) : VersionedUpdater<Credential>(store, "Credential")
{
    /// <param name="change">The domain transition; return null when, on the fresh record, nothing needs doing (idempotent retries).</param>
    public Task<Credential> UpdateAsync(string certificateId, Func<Credential, CredentialChange?> change, CancellationToken cancellationToken)
        => WriteAsync(certificateId, current => change(current)?.Credential, cancellationToken);

    /// <summary>
    /// For operational records the audit chain does not cover (delivery claims and failed attempts):
    /// the same read-change-write with the ETag, without an audit entry.
    /// </summary>
    public Task<Credential> UpdateUnauditedAsync(string certificateId, Func<Credential, Credential?> change, CancellationToken cancellationToken)
        => WriteAsync(certificateId, change, cancellationToken);
}
