using CredentialFunctions.Application.Ports;
using CredentialFunctions.Domain.Credentials;
using CredentialFunctions.Domain.Reports;

namespace CredentialFunctions.Application.Reports;

/// <summary>
/// Keeps the compliance tallies in step with a credential write: the credential leaves the tally of
/// its old standing and joins that of its new one, in every dimension, each under the tally's ETag
/// so two writes to one group never lose a count. Most writes (an outbox claim, a credit) change no
/// standing and touch no tally.
/// </summary>
public sealed class ComplianceProjection(IComplianceTallies tallies)
{
    private readonly VersionedUpdater<ComplianceTally> _updater = new(tallies, "Compliance tally");

    public async Task ApplyAsync(Credential? before, Credential? after, CancellationToken cancellationToken)
    {
        foreach (var dimension in Enum.GetValues<ReportDimension>())
        {
            var was = before is null ? null : Placing.Of(dimension, before);
            var now = after is null ? null : Placing.Of(dimension, after);
            if (was == now) continue;
            if (was is not null) await AddAsync(was, -1, cancellationToken);
            if (now is not null) await AddAsync(now, +1, cancellationToken);
        }
    }

    private async Task AddAsync(Placing placing, int delta, CancellationToken cancellationToken)
    {
        // The first credential of a group and month creates its tally; of two racing to, the loser adds to the winner's.
        if (await tallies.GetAsync(placing.Key.Id, cancellationToken) is null
            && await tallies.TryCreateAsync(ComplianceTally.Empty(placing.Key).With(placing.Standing, delta), cancellationToken))
            return;
        await _updater.WriteAsync(placing.Key.Id, tally => tally.With(placing.Standing, delta), cancellationToken);
    }

    private sealed record Placing(TallyKey Key, ComplianceStanding Standing)
    {
        public static Placing Of(ReportDimension dimension, Credential credential) => new(TallyKey.Of(dimension, credential), ComplianceStanding.Of(credential));
    }
}

/// <summary>
/// The credential store with the compliance tallies kept beside it: the one place every credential
/// write passes. A process that dies between the record's write and its tallies' leaves a drift the
/// daily <see cref="ComplianceRecount"/> finds and fixes.
/// </summary>
public sealed class CountedCredentialStore(ICredentialStore records, ComplianceProjection projection) : ICredentialStore
{
    public Task<Versioned<Credential>?> GetAsync(string id, CancellationToken cancellationToken) => records.GetAsync(id, cancellationToken);

    public async Task<bool> TryCreateAsync(Credential credential, CancellationToken cancellationToken)
    {
        if (!await records.TryCreateAsync(credential, cancellationToken)) return false;
        await projection.ApplyAsync(null, credential, cancellationToken);
        return true;
    }

    public async Task<string> ReplaceAsync(Credential credential, string etag, CancellationToken cancellationToken)
    {
        // The version the ETag names is the one being replaced: read it for what it counted as. Read
        // under another ETag, the replace below fails as stale and nothing is counted.
        var before = await records.GetAsync(credential.CertificateId, cancellationToken);
        var written = await records.ReplaceAsync(credential, etag, cancellationToken);
        if (before is not null && before.ETag == etag) await projection.ApplyAsync(before.Value, credential, cancellationToken);
        return written;
    }
}
