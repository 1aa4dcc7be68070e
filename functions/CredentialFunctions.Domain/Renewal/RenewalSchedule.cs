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
        // Sorted by insertion, stable as OrderBy is: a schedule is read often (every status, tally and
        // page asks for one) and there are at most RenewalTerms.MostReminders offsets.
        var offsets = terms.ReminderOffsets;
        var reminders = new ScheduledReminder[offsets.Count];
        for (var i = 0; i < reminders.Length; i++)
        {
            var reminder = new ScheduledReminder(offsets[i], offsets[i].SubtractFrom(expiresAt));
            var at = i;
            for (; at > 0 && reminders[at - 1].At > reminder.At; at--) reminders[at] = reminders[at - 1];
            reminders[at] = reminder;
        }
        return new RenewalSchedule(terms.RenewalWindow.SubtractFrom(expiresAt), reminders, expiresAt, graceEnd, terms.LapseFollowUp.AddTo(graceEnd));
    }
}
