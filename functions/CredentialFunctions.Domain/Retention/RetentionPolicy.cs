using CredentialFunctions.Domain.Credentials;

namespace CredentialFunctions.Domain.Retention;

/// <summary>What a retention period counts from (seed 003: "three to seven years … duration of employment plus several years").</summary>
public enum RetentionBasis
{
    /// <summary>The credential's end: its lapse (the grace end), revocation or supersession, or the end of its tracking, whichever came first.</summary>
    CredentialEnd,
    /// <summary>The learner's employment end: the HR leaver date, recorded on the credential as its tracking end.</summary>
    EmploymentEnd,
}

/// <summary>What becomes of a record past its retention.</summary>
public enum PurgeMode
{
    /// <summary>Everything that names or describes the holder goes; the certificate id and its dates stay, so verification answers that the record was removed under retention.</summary>
    Anonymise,
    /// <summary>Nothing public stays: verification answers as for an id never issued. The purge log still says it was purged.</summary>
    Delete,
}

/// <summary>How long a program's records are kept and what then becomes of them; versioned with the program.</summary>
public sealed record RetentionPolicy(int Years, RetentionBasis After, PurgeMode Purge)
{
    public const int FewestYears = 1;
    public const int MostYears = 50;

    internal static void Validate(ValidationErrors errors, RetentionPolicy? policy)
    {
        if (policy is null) return;
        if (policy.Years is < FewestYears or > MostYears) errors.Add("retention.years", $"Records are kept from {FewestYears} to {MostYears} years.");
        if (!Enum.IsDefined(policy.After)) errors.Add("retention.after", "Retention counts from the credentialEnd or the employmentEnd.");
        if (!Enum.IsDefined(policy.Purge)) errors.Add("retention.purge", "Past retention a record is either anonymise or delete.");
    }

    /// <summary>
    /// Whether the record may be purged at <paramref name="now"/>. A credential that still stands (not
    /// lapsed, revoked, superseded or untracked) has no end before its grace end, which lies ahead, so
    /// it is never due: a retention period is at least a year past the end.
    /// </summary>
    public RetentionVerdict Judge(Credential credential, DateTimeOffset now)
    {
        var endedAt = CredentialEnd.Of(credential, After);
        var dueAt = endedAt?.AddYears(Years);
        return new RetentionVerdict(endedAt is { } e && e <= now ? e : null, dueAt is { } d && d <= now ? d : null);
    }
}

/// <summary>Whether a record is past its retention at an instant: when it ended (null if it has not), and since when it has been due for purge (null if not yet).</summary>
public sealed record RetentionVerdict(DateTimeOffset? EndedAt, DateTimeOffset? DueSince)
{
    public bool IsDue => DueSince is not null;
}

/// <summary>The instant retention counts from, read from the record alone.</summary>
public static class CredentialEnd
{
    /// <summary>
    /// When the credential ends for retention. It ends at the first of: its lapse, which is the grace
    /// end of its schedule (a renewal or a reinstatement moves it, and the record is written then);
    /// its revocation or supersession; the end of its tracking (the learner left the employer: no
    /// reminders, nobody renews it here). Expiry alone does not end it: grace follows. The grace end may
    /// lie ahead; the record is rewritten by whatever changes it. Null for a credential that never
    /// expires and still stands, or, counted from employment, while the learner is employed.
    /// </summary>
    public static DateTimeOffset? Of(Credential credential, RetentionBasis basis)
    {
        if (basis == RetentionBasis.EmploymentEnd) return credential.TrackingEndedAt;
        DateTimeOffset?[] ends =
        [
            credential.HasEnded ? credential.StateChangedAt : null,
            credential.TrackingEndedAt,
            credential.Schedule?.GraceEndsAt,
        ];
        return ends.Where(e => e is not null).Min();
    }
}
