using CredentialFunctions.Application.Ports;
using CredentialFunctions.Domain;
using CredentialFunctions.Domain.Credentials;
using CredentialFunctions.Domain.Reports;

namespace CredentialFunctions.Application.Reports;

/// <summary>
/// Keeps the compliance tallies in step with a credential write: the credential leaves its old
/// standing and groups and takes its new ones, in its completion day's tally, under that tally's
/// ETag so two writes to one day never lose a count. Most writes (an outbox claim, a credit) change
/// no standing and no group, and touch no tally.
/// </summary>
public sealed class ComplianceProjection(IComplianceTallies tallies)
{
    private readonly VersionedUpdater<ComplianceTally> _updater = new(tallies, "Compliance tally");

    public async Task ApplyAsync(Credential? before, Credential? after, CancellationToken cancellationToken)
    {
        if (before is not null && after is not null && Counted.Of(before) == Counted.Of(after)) return;
        var (was, now) = (before is null ? null : ComplianceTally.IdOf(before), after is null ? null : ComplianceTally.IdOf(after));
        if (was is not null && was == now)
        {
            await ChangeAsync(was, after!, tally => tally.With(before!, -1).With(after!, +1), cancellationToken);
            return;
        }
        if (was is not null) await ChangeAsync(was, before!, tally => tally.With(before!, -1), cancellationToken);
        if (now is not null) await ChangeAsync(now, after!, tally => tally.With(after!, +1), cancellationToken);
    }

    /// <summary>Counts new credentials with one write per tally they fall in, however many fall in each (a cohort completes on one day).</summary>
    public Task ApplyCreatedAsync(IReadOnlyList<Credential> created, CancellationToken cancellationToken)
        => Task.WhenAll(created.GroupBy(ComplianceTally.IdOf).Select(tally =>
            ChangeAsync(tally.Key, tally.First(), counts => tally.Aggregate(counts, (sum, c) => sum.With(c, +1)), cancellationToken)));

    private Task ChangeAsync(string id, Credential credential, Func<ComplianceTally, ComplianceTally> change, CancellationToken cancellationToken)
        => ChangeAsync(id, ComplianceTally.Empty(ComplianceTally.DayOf(credential), ComplianceTally.ShardOf(credential.CertificateId)), change, cancellationToken);

    private async Task ChangeAsync(string id, ComplianceTally empty, Func<ComplianceTally, ComplianceTally> change, CancellationToken cancellationToken)
    {
        try
        {
            await _updater.WriteAsync(id, change, cancellationToken);
        }
        catch (NotFoundException)
        {
            // The tally's first credential creates it; of two racing to, the loser changes the winner's.
            if (!await tallies.TryCreateAsync(change(empty), cancellationToken)) await _updater.WriteAsync(id, change, cancellationToken);
        }
    }

    /// <summary>What a tally knows of a credential: equal before and after a write, the write changes no count.</summary>
    private sealed record Counted(ComplianceStanding Standing, string Team, string Cohort, string Program, string JobSite)
    {
        public static Counted Of(Credential c) => new(ComplianceStanding.Of(c),
            ReportDimension.Team.GroupOf(c), ReportDimension.Cohort.GroupOf(c), ReportDimension.Program.GroupOf(c), ReportDimension.JobSite.GroupOf(c));
    }
}

/// <summary>
/// The credential store with the compliance tallies kept beside it: the one place every credential
/// write passes. A process that dies between the record's write and its tally's leaves a drift the
/// daily <see cref="ComplianceRecount"/> finds and fixes.
/// </summary>
public sealed class CountedCredentialStore(ICredentialStore records, ComplianceProjection projection) : ICredentialStore
{
    public Task<Versioned<Credential>?> GetAsync(string id, CancellationToken cancellationToken) => records.GetAsync(id, cancellationToken);

    public async Task<string?> CreateIfAbsentAsync(Credential credential, CancellationToken cancellationToken)
    {
        if (await records.CreateIfAbsentAsync(credential, cancellationToken) is not { } etag) return null;
        await projection.ApplyAsync(null, credential, cancellationToken);
        return etag;
    }

    public async Task<IReadOnlyList<string?>> CreateAllIfAbsentAsync(IReadOnlyList<Credential> credentials, CancellationToken cancellationToken)
    {
        var etags = await records.CreateAllIfAbsentAsync(credentials, cancellationToken);
        await projection.ApplyCreatedAsync(credentials.Where((_, i) => etags[i] is not null).ToList(), cancellationToken);
        return etags;
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

    public async Task<string> ReplaceAsync(Credential credential, Versioned<Credential> replaced, CancellationToken cancellationToken)
    {
        var written = await records.ReplaceAsync(credential, replaced.ETag, cancellationToken);
        await projection.ApplyAsync(replaced.Value, credential, cancellationToken);
        return written;
    }

    /// <summary>A purged credential leaves its tally: it is counted nowhere once its record is gone.</summary>
    public async Task<bool> DeleteAsync(string certificateId, string etag, CancellationToken cancellationToken)
    {
        var before = await records.GetAsync(certificateId, cancellationToken);
        if (!await records.DeleteAsync(certificateId, etag, cancellationToken)) return false;
        if (before is not null && before.ETag == etag) await projection.ApplyAsync(before.Value, null, cancellationToken);
        return true;
    }
}
