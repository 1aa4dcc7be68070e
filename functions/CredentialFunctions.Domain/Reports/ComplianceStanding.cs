using System.Globalization;
using CredentialFunctions.Domain.Credentials;

namespace CredentialFunctions.Domain.Reports;

/// <summary>What a compliance report counts, in the order its columns appear.</summary>
/// <remarks>Active counts every credential valid at the instant; the three "due within" counts are the active ones expiring that soon.</remarks>
public enum ComplianceMeasure { Active, DueWithin30Days, DueWithin60Days, DueWithin90Days, InGrace, Lapsed, Suspended, Revoked, Superseded }

/// <summary>What a compliance report groups by: where the holder sits, or the program.</summary>
public enum ReportDimension { Team, Cohort, Program, JobSite }

public static class ReportDimensions
{
    /// <summary>The dimension's name as the API, the reports and the stored tallies spell it (camelCase: "jobSite").</summary>
    public static string Name(this ReportDimension dimension) => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(dimension.ToString());

    /// <summary>The group a credential counts in; empty when the record names none (an LMS that sends no team).</summary>
    public static string GroupOf(this ReportDimension dimension, Credential credential) => dimension switch
    {
        ReportDimension.Team => credential.Placement.Team,
        ReportDimension.Cohort => credential.Placement.Cohort,
        ReportDimension.Program => credential.Program.ProgramId,
        ReportDimension.JobSite => credential.Placement.JobSite,
        _ => throw new ArgumentOutOfRangeException(nameof(dimension), dimension, null),
    } ?? "";
}

/// <summary>
/// What decides which measures a credential counts in at any instant: a state that has ended it, or
/// the instants the clock moves it at (expiry and grace end). Two credentials with the same standing
/// and completion date count alike forever, so a report keeps how many there are of each instead of
/// the credentials: the counts at an instant are a sum over standings, with no write when time passes.
/// </summary>
public sealed record ComplianceStanding(DateOnly CompletedOn, ComplianceMeasure? EndedAs, DateTimeOffset? ExpiresAt, DateTimeOffset? GraceEndsAt)
{
    private static readonly (int Days, ComplianceMeasure Measure)[] DueWithin =
        [(30, ComplianceMeasure.DueWithin30Days), (60, ComplianceMeasure.DueWithin60Days), (90, ComplianceMeasure.DueWithin90Days)];

    /// <summary>
    /// What stops a credential's clock, each counted as its own measure, in <see cref="Credential.StatusAt"/>'s
    /// order: revoked and superseded first, then a suspension (it overrides the clock until lifted,
    /// and lifting it is a write), then lapse. A new such state is one line here.
    /// </summary>
    private static ComplianceMeasure? Ended(Credential credential) => credential switch
    {
        { State: CredentialState.Revoked } => ComplianceMeasure.Revoked,
        { State: CredentialState.Superseded } => ComplianceMeasure.Superseded,
        { Suspension: not null } => ComplianceMeasure.Suspended,
        { State: CredentialState.Lapsed } => ComplianceMeasure.Lapsed,
        _ => null,
    };

    public static ComplianceStanding Of(Credential credential)
    {
        var completedOn = DateOnly.FromDateTime(credential.Completion.CompletedAt.UtcDateTime);
        if (Ended(credential) is { } ended) return new(completedOn, ended, null, null);
        return credential.Schedule is { } s
            ? new(completedOn, null, s.ExpiresAt.ToUniversalTime(), s.GraceEndsAt.ToUniversalTime())
            : new(completedOn, null, null, null);
    }

    /// <summary>The measures this standing counts in at an instant, as <see cref="Credential.StatusAt"/> decides the status.</summary>
    public IEnumerable<ComplianceMeasure> MeasuresAt(DateTimeOffset at)
    {
        if (EndedAs is { } ended)
        {
            yield return ended;
            yield break;
        }
        if (ExpiresAt is not { } expiry)
        {
            yield return ComplianceMeasure.Active;
            yield break;
        }
        if (at < expiry)
        {
            yield return ComplianceMeasure.Active;
            foreach (var (days, measure) in DueWithin)
                if (expiry - at <= TimeSpan.FromDays(days)) yield return measure;
            yield break;
        }
        yield return at < GraceEndsAt ? ComplianceMeasure.InGrace : ComplianceMeasure.Lapsed;
    }

    /// <summary>The standing as a key in its completion day's tally: the ended state, or the two instants in UTC ticks (the day is the tally's).</summary>
    public string Key => EndedAs is { } ended ? ended.ToString() : $"{Ticks(ExpiresAt)}|{Ticks(GraceEndsAt)}";

    public static ComplianceStanding FromKey(DateOnly completedOn, string key)
    {
        var bar = key.IndexOf('|');
        return bar < 0
            ? new(completedOn, Enum.Parse<ComplianceMeasure>(key), null, null)
            : new(completedOn, null, Instant(key[..bar]), Instant(key[(bar + 1)..]));
    }

    private static string Ticks(DateTimeOffset? at) => at is { } a ? a.UtcTicks.ToString(CultureInfo.InvariantCulture) : "";

    private static DateTimeOffset? Instant(string ticks) => ticks.Length == 0 ? null : new DateTimeOffset(long.Parse(ticks, CultureInfo.InvariantCulture), TimeSpan.Zero);
}
