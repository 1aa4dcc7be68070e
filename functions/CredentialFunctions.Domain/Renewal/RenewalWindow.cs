using System.Globalization;
using System.Text.Json.Serialization;
using CredentialFunctions.Domain.Audit;
using CredentialFunctions.Domain.Credentials;
using CredentialFunctions.Domain.Programs;

namespace CredentialFunctions.Domain.Renewal;

/// <summary>
/// The steps of one renewal cycle, in the order seed 003 tells them: the notice that opens it
/// (issued, renewed or reinstated), reminders, expiry into grace, lapse, and the notices around them.
/// </summary>
public enum RenewalStepKind { OpeningNotice, RenewByCredits, Reminder, EnterGrace, GraceNotice, Lapse, LapseNotice, LapseFollowUp }

/// <summary>What opened a cycle, by its audit entry: the issue, a renewal or a reinstatement.</summary>
public sealed record CycleOpening(AuditAction Action, int Sequence);

/// <summary>
/// The next thing the renewal window does for a credential, and the instant it is due. A step that
/// sends a message names it by <see cref="DeliveryKey"/>, unique per credential, cycle and occasion.
/// </summary>
/// <param name="Opening">For an opening notice: what opened the cycle, so the notice says so and is keyed by it.</param>
public sealed record RenewalStep(RenewalStepKind Kind, int Cycle, DateTimeOffset At, IsoDuration? Offset = null, CycleOpening? Opening = null)
{
    // Derived, so never serialized: a step travels between orchestrator and activities as its four fields.
    [JsonIgnore]
    public bool SendsNotice => Kind is not (RenewalStepKind.EnterGrace or RenewalStepKind.Lapse or RenewalStepKind.RenewByCredits);

    [JsonIgnore]
    public string DeliveryKey => Kind switch
    {
        RenewalStepKind.OpeningNotice when Opening is { } o => $"c{Cycle}:{o.Action.ToString().ToLowerInvariant()}:{o.Sequence.ToString(CultureInfo.InvariantCulture)}",
        RenewalStepKind.Reminder => $"c{Cycle}:reminder:{Offset}",
        RenewalStepKind.GraceNotice => $"c{Cycle}:grace",
        RenewalStepKind.LapseNotice => $"c{Cycle}:lapse",
        RenewalStepKind.LapseFollowUp => $"c{Cycle}:lapse-follow-up",
        _ => throw new InvalidOperationException($"{Kind} sends no message."),
    };
}

/// <summary>
/// The renewal window of a credential, computed from the record alone: what is due next, given what
/// the record says has happened and been sent. The orchestration sleeps until the step's instant and
/// asks again, so a record changed behind its back (a renewal, a grace extension, a restore) is
/// simply planned from afresh.
/// </summary>
public static class RenewalWindow
{
    /// <summary>
    /// How long after the issue, renewal or reinstatement its notice may still go. A window started
    /// much later (a restore, a repair) skips it: news months old would confuse more than inform.
    /// </summary>
    public static readonly TimeSpan OpeningNoticeFreshFor = TimeSpan.FromDays(30);

    /// <returns>Null when the window has nothing more to do: no expiry, revoked, superseded, no longer tracked, or lapsed with every notice sent.</returns>
    public static RenewalStep? NextStep(Credential credential, DateTimeOffset now)
    {
        if (credential.HasEnded || credential.TrackingEndedAt is not null
            || credential.Schedule is not { } s)
            return null;
        var cycle = credential.Cycle;
        // A message given up on (refused for good, or its attempts spent) is done with too: the window moves on.
        // One whose instant came before the record was imported was the previous system's to send, or is past telling.
        bool Done(RenewalStep step) => credential.Outbox.Find(step.DeliveryKey) is { IsFinished: true }
            || credential.ImportedFrom is { } imported && step.At < imported.At;

        switch (credential.State)
        {
            case CredentialState.Active:
                if (now < s.ExpiresAt && OpeningNotice(credential) is { } opening && now < opening.At + OpeningNoticeFreshFor && !Done(opening)) return opening;
                // A window that was down past an instant catches up to the latest state, not through every stale one.
                if (now >= s.GraceEndsAt) return new RenewalStep(RenewalStepKind.Lapse, cycle, s.GraceEndsAt);
                if (now >= s.ExpiresAt) return new RenewalStep(RenewalStepKind.EnterGrace, cycle, s.ExpiresAt);
                // Credits that met the requirement before renewal opened renew the moment it opens, ahead of any reminder.
                if (credential.RenewableByCreditsFrom is { } renewable) return new RenewalStep(RenewalStepKind.RenewByCredits, cycle, renewable);
                return NextReminder(s, cycle, now, Done) ?? new RenewalStep(RenewalStepKind.EnterGrace, cycle, s.ExpiresAt);
            case CredentialState.InGrace:
                var graceNotice = new RenewalStep(RenewalStepKind.GraceNotice, cycle, s.ExpiresAt);
                if (now < s.GraceEndsAt && !Done(graceNotice)) return graceNotice;
                return new RenewalStep(RenewalStepKind.Lapse, cycle, s.GraceEndsAt);
            case CredentialState.Lapsed:
                var lapseNotice = new RenewalStep(RenewalStepKind.LapseNotice, cycle, s.GraceEndsAt);
                if (now < s.FollowUpAt && !Done(lapseNotice)) return lapseNotice;
                var followUp = new RenewalStep(RenewalStepKind.LapseFollowUp, cycle, s.FollowUpAt);
                return Done(followUp) ? null : followUp;
            default:
                return null;
        }
    }

    /// <summary>
    /// When the window takes its last step as the record stands (the follow-up after lapse), or null
    /// when it has nothing left to do whatever the time: no expiry, revoked, superseded, no longer
    /// tracked, or lapsed with the follow-up sent. Asked at the end of time, <see cref="NextStep"/>
    /// answers null exactly then, so the two cannot disagree.
    /// </summary>
    public static DateTimeOffset? EndsAt(Credential credential)
        => NextStep(credential, DateTimeOffset.MaxValue) is null ? null : credential.Schedule!.FollowUpAt;

    /// <summary>
    /// The notice of what last opened the cycle: the issue, a renewal, or a reinstatement (which may
    /// keep the cycle, so the audit entry's sequence is part of the key). Due when it happened.
    /// </summary>
    private static RenewalStep? OpeningNotice(Credential credential)
        => credential.AuditTrail.LastOrDefault(e => e.Action is AuditAction.Issued or AuditAction.Renewed or AuditAction.Reinstated) is { } opened
            ? new RenewalStep(RenewalStepKind.OpeningNotice, credential.Cycle, opened.At, Opening: new CycleOpening(opened.Action, opened.Sequence))
            : null;

    /// <summary>
    /// The reminder after the last one sent: the latest one already due (sent late, once, when the
    /// window was down at its instant; the earlier missed ones are superseded by it), else the next one.
    /// </summary>
    private static RenewalStep? NextReminder(RenewalSchedule s, int cycle, DateTimeOffset now, Func<RenewalStep, bool> done)
    {
        var reminders = s.Reminders.Select(r => new RenewalStep(RenewalStepKind.Reminder, cycle, r.At, r.Offset)).ToList();
        var pending = reminders.Skip(reminders.FindLastIndex(r => done(r)) + 1).ToList();
        return pending.LastOrDefault(r => r.At <= now) ?? pending.FirstOrDefault();
    }
}
