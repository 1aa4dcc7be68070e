using System.Collections.Concurrent;
using CredentialFunctions.Application.Ports;
using CredentialFunctions.Domain;
using CredentialFunctions.Domain.Credentials;

namespace CredentialFunctions.Testing.Stores;

/// <summary>
/// For the benchmarks: the credential store in memory, with the same ETag contract, so what is
/// measured is the Durable backend and the orchestration, or the verification handler, not the local
/// Cosmos server. Tests use the real store on the local Cosmos server, so they check what Cosmos does.
/// </summary>
public sealed class InMemoryCredentialStore : ICredentialStore
{
    private readonly ConcurrentDictionary<string, Versioned<Credential>> _records = new();
    private long _version;

    public Task<Versioned<Credential>?> GetAsync(string certificateId, CancellationToken cancellationToken)
        => Task.FromResult(_records.GetValueOrDefault(certificateId));

    public Task<string?> CreateIfAbsentAsync(Credential credential, CancellationToken cancellationToken)
    {
        var created = new Versioned<Credential>(credential, NextETag());
        return Task.FromResult(_records.TryAdd(credential.CertificateId, created) ? created.ETag : null);
    }

    public Task<string> ReplaceAsync(Credential credential, string etag, CancellationToken cancellationToken)
    {
        var current = _records.GetValueOrDefault(credential.CertificateId) ?? throw new NotFoundException("Credential", credential.CertificateId);
        var next = new Versioned<Credential>(credential, NextETag());
        if (current.ETag != etag || !_records.TryUpdate(credential.CertificateId, next, current))
            throw new ConcurrencyConflictException($"Credential {credential.CertificateId} was changed by another writer.");
        return Task.FromResult(next.ETag);
    }

    public Task<bool> DeleteAsync(string certificateId, string etag, CancellationToken cancellationToken)
    {
        if (_records.GetValueOrDefault(certificateId) is not { } current) return Task.FromResult(false);
        if (current.ETag != etag || !_records.TryRemove(new KeyValuePair<string, Versioned<Credential>>(certificateId, current)))
            throw new ConcurrencyConflictException($"Credential {certificateId} was changed by another writer.");
        return Task.FromResult(true);
    }

    private string NextETag() => Interlocked.Increment(ref _version).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
