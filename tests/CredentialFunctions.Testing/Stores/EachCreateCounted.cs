using CredentialFunctions.Application;
using CredentialFunctions.Application.Ports;
using CredentialFunctions.Domain.Credentials;

namespace CredentialFunctions.Testing.Stores;

/// <summary>
/// A credential store passed straight through, but for <see cref="ICredentialStore.CreateAllIfAbsentAsync"/>,
/// left to the interface's own body: each create of a batch then reaches <paramref name="inner"/> as a
/// call of its own, so a counting store under it (<see cref="StoreCalls"/>) counts every create.
/// </summary>
public sealed class EachCreateCounted(ICredentialStore inner) : ICredentialStore
{
    public Task<Versioned<Credential>?> GetAsync(string id, CancellationToken cancellationToken) => inner.GetAsync(id, cancellationToken);

    public Task<string?> CreateIfAbsentAsync(Credential credential, CancellationToken cancellationToken) => inner.CreateIfAbsentAsync(credential, cancellationToken);

    public Task<string> ReplaceAsync(Credential value, string etag, CancellationToken cancellationToken) => inner.ReplaceAsync(value, etag, cancellationToken);

    public Task<string> ReplaceAsync(Credential value, Versioned<Credential> replaced, CancellationToken cancellationToken) => inner.ReplaceAsync(value, replaced, cancellationToken);

    public Task<bool> DeleteAsync(string certificateId, string etag, CancellationToken cancellationToken) => inner.DeleteAsync(certificateId, etag, cancellationToken);
}
