using CredentialFunctions.Domain.Programs;

namespace CredentialFunctions.Domain.Renewal;

/// <summary>A reminder due before expiry: which offset (e.g. P60D) and the instant it falls on.</summary>
public sealed record ScheduledReminder(IsoDuration Offset, DateTimeOffset At);

/// <summary>
/// Every instant of one renewal cycle, computed from the expiry and the terms; never polled for.
/// Reminders are in time order (the longest offset first).
/// </summary>
public sealed record RenewalSchedule(
    DateTimeOffset WindowOpensAt,
    IReadOnlyList<ScheduledReminder> Reminders,
    DateTimeOffset ExpiresAt,
    DateTimeOffset GraceEndsAt,
    DateTimeOffset FollowUpAt)
{
    /// <param name="graceEndsAt">A grace end a program manager extended to, when later than the default.</param>
    public static RenewalSchedule For(DateTimeOffset expiresAt, RenewalTerms terms, DateTimeOffset? graceEndsAt = null)
    {
        var defaultGraceEnd = terms.GracePeriod.AddTo(expiresAt);
        var graceEnd = graceEndsAt is { } extended && extended > defaultGraceEnd ? extended : defaultGraceEnd;
        var reminders = terms.ReminderOffsets
            .Select(offset => new ScheduledReminder(offset, offset.SubtractFrom(expiresAt)))
            .OrderBy(r => r.At)
            .ToList();
        return new RenewalSchedule(terms.RenewalWindow.SubtractFrom(expiresAt), reminders, expiresAt, graceEnd, terms.LapseFollowUp.AddTo(graceEnd));
    }
}
