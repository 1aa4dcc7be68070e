using CredentialFunctions.Application.Ports;
using CredentialFunctions.Domain;
using CredentialFunctions.Domain.Reports;

namespace CredentialFunctions.Application.Reports;

/// <summary>A tally that did not match the credentials: what it held and what the recount wrote.</summary>
public sealed record TallyDrift(string Tally, int Held, int Counted, bool Fixed);

/// <summary>What a recount read and found.</summary>
public sealed record RecountReport(int Credentials, int Tallies, IReadOnlyList<TallyDrift> Drift, IReadOnlyList<UnreadableDocument> Unreadable);

/// <summary>
/// Rebuilds every tally from the credentials and proves the maintained ones right: each that differs
/// is reported and replaced. The tallies are read first, with their ETags, and replaced only under
/// those: a credential written while the recount runs moves its tally's ETag, so the recount leaves
/// that tally alone (reported as not fixed) instead of overwriting a count newer than its own.
/// </summary>
public sealed class ComplianceRecount(ICredentialCatalog credentials, IComplianceTallies tallies)
{
    private const int PageSize = 500;

    public async Task<RecountReport> RunAsync(CancellationToken cancellationToken)
    {
        var held = new Dictionary<string, Versioned<ComplianceTally>>();
        foreach (var dimension in Enum.GetValues<ReportDimension>())
            foreach (var tally in await tallies.OfDimensionAsync(dimension, null, null, cancellationToken))
                held[tally.Value.Key.Id] = tally;

        var counted = new Dictionary<string, ComplianceTally>();
        var (read, unreadable) = (0, new List<UnreadableDocument>());
        string? continuation = null;
        do
        {
            var page = await credentials.AllAsync(continuation, PageSize, cancellationToken);
            unreadable.AddRange(page.Unreadable);
            foreach (var credential in page.Items)
            {
                read++;
                var standing = Domain.Reports.ComplianceStanding.Of(credential);
                foreach (var dimension in Enum.GetValues<ReportDimension>())
                {
                    var key = TallyKey.Of(dimension, credential);
                    counted[key.Id] = (counted.GetValueOrDefault(key.Id) ?? ComplianceTally.Empty(key)).With(standing, 1);
                }
            }
            continuation = page.ContinuationToken;
        } while (continuation is not null);

        var drift = new List<TallyDrift>();
        foreach (var id in held.Keys.Union(counted.Keys))
        {
            var stored = held.GetValueOrDefault(id);
            var expected = counted.GetValueOrDefault(id) ?? ComplianceTally.Empty(stored!.Value.Key);
            if (stored is not null && stored.Value.CountsAlike(expected)) continue;
            drift.Add(new TallyDrift(id, stored?.Value.Entries.Values.Sum() ?? 0, expected.Entries.Values.Sum(), await FixAsync(stored, expected, cancellationToken)));
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
