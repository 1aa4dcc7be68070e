using CredentialFunctions.Application.Ports;
using CredentialFunctions.Application.Search;
using CredentialFunctions.Domain;
using CredentialFunctions.Domain.Reports;

namespace CredentialFunctions.Application.Reports;

/// <summary>A day's tally that did not match the credentials: how many credentials it held and how many there are, and whether the recount wrote the right one.</summary>
public sealed record TallyDrift(string Day, int Held, int Counted, bool Fixed);

/// <summary>What a recount read and found.</summary>
public sealed record RecountReport(int Credentials, int Tallies, IReadOnlyList<TallyDrift> Drift, IReadOnlyList<UnreadableDocument> Unreadable);

/// <summary>
/// Rebuilds every tally from the credentials and proves the maintained ones right: each that differs
/// is reported and replaced. The tallies are read first, with their ETags, and replaced only under
/// those: a credential written while the recount runs moves its tally's ETag, so the recount leaves
/// that tally alone (reported as not fixed) instead of overwriting a count newer than its own.
/// </summary>
public sealed class ComplianceRecount(ICredentialSearch credentials, IComplianceTallies tallies, TimeProvider time)
{
    /// <summary>Every credential, whatever its state: a search with no filter.</summary>
    private static readonly CredentialQuery Everything = new(new CredentialFilter(), SearchSort.Default, CredentialQuery.MaxPageSize);

    public async Task<RecountReport> RunAsync(CancellationToken cancellationToken)
    {
        var held = (await tallies.BetweenAsync(null, null, cancellationToken)).ToDictionary(t => t.Value.Id);
        var counted = new Dictionary<string, ComplianceTally>();
        var (read, unreadable) = (0, new List<UnreadableDocument>());
        var at = time.GetUtcNow();
        string? continuation = null;
        do
        {
            var page = await credentials.SearchAsync(Everything, at, continuation, cancellationToken);
            unreadable.AddRange(page.Unreadable);
            foreach (var credential in page.Items)
            {
                read++;
                var id = ComplianceTally.IdOf(credential);
                counted[id] = (counted.GetValueOrDefault(id) ?? ComplianceTally.Empty(ComplianceTally.DayOf(credential), ComplianceTally.ShardOf(credential.CertificateId))).With(credential, 1);
            }
            continuation = page.ContinuationToken;
        } while (continuation is not null);

        var drift = new List<TallyDrift>();
        foreach (var id in held.Keys.Union(counted.Keys))
        {
            var stored = held.GetValueOrDefault(id);
            var expected = counted.GetValueOrDefault(id) ?? stored!.Value with { Groups = ComplianceTally.Empty(stored.Value.Day).Groups };
            if (stored is not null && stored.Value.CountsAlike(expected)) continue;
            drift.Add(new TallyDrift(expected.Day, stored?.Value.Credentials ?? 0, expected.Credentials, await FixAsync(stored, expected, cancellationToken)));
        }
        return new RecountReport(read, counted.Count, drift, unreadable);
    }

    private async Task<bool> FixAsync(Versioned<ComplianceTally>? stored, ComplianceTally expected, CancellationToken cancellationToken)
    {
        if (stored is null) return await tallies.TryCreateAsync(expected, cancellationToken);
        try
        {
            await tallies.ReplaceAsync(expected, stored.ETag, cancellationToken);
            return true;
        }
        catch (ConcurrencyConflictException)
        {
            return false;
        }
    }
}
