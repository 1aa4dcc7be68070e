using CredentialFunctions.Application.Ports;
using CredentialFunctions.Domain;
using CredentialFunctions.Domain.Programs;

namespace CredentialFunctions.Application.Programs;

/// <summary>An xAPI activity IRI taken by one version of a program, and when.</summary>
public sealed record ActivityClaim(string ActivityId, string ProgramId, int ProgramVersion, DateTimeOffset ClaimedAt);

/// <summary>A program names an xAPI activity another program completes (HTTP 409).</summary>
public sealed class ActivityClaimedException(IReadOnlyDictionary<string, string[]> conflicts)
    : DomainException("An xAPI activity completes one program only; see errors for the program that holds each.")
{
    public IReadOnlyDictionary<string, string[]> Conflicts { get; } = conflicts;
}

/// <summary>
/// Keeps each xAPI activity IRI with at most one program. The local Cosmos server has no unique keys
/// and no transactions, so each IRI has a claim document of its own: a program version takes it by
/// creating the claim or replacing it with its ETag before that version is written, and only when
/// no other program holds it. A claim holds while the claiming program's current version names the
/// IRI, or while the version that claimed it has not been written yet, for at most
/// <see cref="UnwrittenClaimLifetime"/> (a revision whose write died must not hold an IRI forever).
/// A revision that drops an IRI leaves a claim that no longer holds, so nothing is ever deleted.
/// </summary>
public sealed class ActivityClaims(IActivityClaimStore claims, IProgramStore programs, TimeProvider clock)
{
    public static readonly TimeSpan UnwrittenClaimLifetime = TimeSpan.FromMinutes(15);

    private const int MaxClaimAttempts = 10;

    /// <summary>Claims every activity the program version names, before that version is written; refuses all of them when another program holds any.</summary>
    public async Task ClaimAsync(CertificationProgram version, CancellationToken cancellationToken)
    {
        var activities = version.Definition.XapiActivities;
        // Every conflict is found before anything is claimed, so a refused program leaves no claim behind.
        var conflicts = new Dictionary<string, string[]>();
        for (var i = 0; i < activities.Count; i++)
            if (await HolderOtherThanAsync(activities[i], version.ProgramId, cancellationToken) is { } holder)
                conflicts[$"xapiActivities[{i}]"] = [$"Program '{holder}' is completed by this activity; take it off that program first."];
        if (conflicts.Count > 0) throw new ActivityClaimedException(conflicts);
        for (var i = 0; i < activities.Count; i++) await ClaimAsync(activities[i], i, version, cancellationToken);
    }

    /// <summary>The program an activity completes: its claim's program, when that program's current version still names it.</summary>
    public async Task<CertificationProgram?> ProgramCompletedByAsync(string activityId, CancellationToken cancellationToken)
    {
        if (await claims.GetAsync(activityId, cancellationToken) is not { Value: var claim }) return null;
        var program = await programs.GetCurrentAsync(claim.ProgramId, cancellationToken);
        return program is not null && program.Definition.XapiActivities.Contains(activityId, StringComparer.Ordinal) ? program : null;
    }

    private async Task ClaimAsync(string activityId, int index, CertificationProgram version, CancellationToken cancellationToken)
    {
        var claim = new ActivityClaim(activityId, version.ProgramId, version.Version, clock.GetUtcNow());
        for (var attempt = 1; attempt <= MaxClaimAttempts; attempt++)
        {
            var current = await claims.GetAsync(activityId, cancellationToken);
            if (current is null)
            {
                if (await claims.TryCreateAsync(claim, cancellationToken)) return;
                continue;
            }
            // Replaced even when this program already holds it: the ETag is what makes a concurrent takeover by another program fail.
            if (current.Value.ProgramId != version.ProgramId && await HoldsAsync(current.Value, cancellationToken))
                throw new ActivityClaimedException(new Dictionary<string, string[]>
                {
                    [$"xapiActivities[{index}]"] = [$"Program '{current.Value.ProgramId}' is completed by this activity; take it off that program first."],
                });
            if (await claims.TryReplaceAsync(claim, current.ETag, cancellationToken)) return;
        }
        throw new ConcurrencyConflictException($"The claim of xAPI activity '{activityId}' kept changing; send the program again.");
    }

    private async Task<string?> HolderOtherThanAsync(string activityId, string programId, CancellationToken cancellationToken)
        => await claims.GetAsync(activityId, cancellationToken) is { Value: var claim } && claim.ProgramId != programId && await HoldsAsync(claim, cancellationToken)
            ? claim.ProgramId
            : null;

    private async Task<bool> HoldsAsync(ActivityClaim claim, CancellationToken cancellationToken)
    {
        var program = await programs.GetCurrentAsync(claim.ProgramId, cancellationToken);
        if (program is not null && program.Version >= claim.ProgramVersion)
            return program.Definition.XapiActivities.Contains(claim.ActivityId, StringComparer.Ordinal);
        return clock.GetUtcNow() - claim.ClaimedAt < UnwrittenClaimLifetime;
    }
}
