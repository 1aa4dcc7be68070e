using CredentialFunctions.Application.Events;
using CredentialFunctions.Application.Notifications;
using CredentialFunctions.Application.Outbox;
using CredentialFunctions.Application.Ports;
using CredentialFunctions.Domain.Audit;
using CredentialFunctions.Domain.Credentials;
using CredentialFunctions.Domain.Programs;
using CredentialFunctions.Domain.Renewal;

namespace CredentialFunctions.Application.Renewal;

public sealed record PlanRequest(string CertificateId, DateTimeOffset Now);

/// <summary>The record's cycle and its next step; no step when the window has nothing more to do (or the record is gone).</summary>
public sealed record RenewalPlan(int Cycle, RenewalStep? Next);

public sealed record StepRequest(string CertificateId, RenewalStep Step);

/// <summary>
/// The I/O of the renewal window, behind its two activities. Every step re-reads the record and
/// acts only if that step is still the one due, inside the ETag-guarded write; so a retried,
/// replayed or late step, or one overtaken by a renewal, changes nothing and sends nothing twice.
/// </summary>
public sealed class RenewalWindowSteps(ICredentialStore credentials, CredentialUpdater updater, OutboxDispatcher<Credential> outbox, EventPublisher<Credential> events, TimeProvider clock)
{
    public async Task<RenewalPlan> PlanAsync(string certificateId, DateTimeOffset now, CancellationToken cancellationToken)
        => (await credentials.GetAsync(certificateId, cancellationToken))?.Value is { } credential
            ? new RenewalPlan(credential.Cycle, RenewalWindow.NextStep(credential, now))
            : new RenewalPlan(0, null);

    /// <returns>Whether this call took the step; false when it was already taken or is no longer due.</returns>
    public async Task<bool> TakeStepAsync(string certificateId, RenewalStep step, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        bool StillDue(Credential c) => step.At <= now && RenewalWindow.NextStep(c, now) == step;
        var taken = false;
        switch (step.Kind)
        {
            case RenewalStepKind.EnterGrace:
                await updater.UpdateAsync(certificateId, c => (taken = StillDue(c)) ? c.EnterGrace(now) : null, cancellationToken);
                return taken;
            case RenewalStepKind.Lapse:
                await events.TryPublishAsync(certificateId, await updater.UpdateAsync(certificateId, c => (taken = StillDue(c)) ? c.Lapse(now) : null, cancellationToken), cancellationToken);
                return taken;
            case RenewalStepKind.RenewByCredits:
                await events.TryPublishAsync(certificateId, await updater.UpdateAsync(certificateId, c => (taken = StillDue(c))
                    ? c.Renew(RenewalPathway.ContinuingEducationCredits, now, Credential.SystemActor)
                    : null, cancellationToken), cancellationToken);
                return taken;
            default:
                return await SendAsync(certificateId, step, StillDue, now, cancellationToken);
        }
    }

    /// <summary>
    /// Through the outbox: the message is made from the record as it is when claimed, and a message
    /// given up on (refused for good, attempts spent) counts as taken, so the window moves on.
    /// </summary>
    private async Task<bool> SendAsync(string certificateId, RenewalStep step, Func<Credential, bool> stillDue, DateTimeOffset now, CancellationToken cancellationToken)
        => await outbox.DispatchAsync(certificateId,
            c => stillDue(c) ? EmailOutbox.EntryFor(NotificationFor(c, step, NotificationKindOf(step), now)) : null,
            cancellationToken) != OutboxDispatch.NotOwed;

    private static NotificationKind NotificationKindOf(RenewalStep step) => step.Kind switch
    {
        RenewalStepKind.OpeningNotice => step.Opening?.Action switch
        {
            AuditAction.Issued => NotificationKind.Issued,
            AuditAction.Renewed => NotificationKind.Renewed,
            AuditAction.Reinstated => NotificationKind.Reinstated,
            _ => throw new ArgumentOutOfRangeException(nameof(step), step.Opening, "A cycle opens by issue, renewal or reinstatement."),
        },
        RenewalStepKind.Reminder => NotificationKind.RenewalReminder,
        RenewalStepKind.GraceNotice => NotificationKind.GraceStarted,
        RenewalStepKind.LapseNotice => NotificationKind.Lapsed,
        RenewalStepKind.LapseFollowUp => NotificationKind.LapseFollowUp,
        _ => throw new ArgumentOutOfRangeException(nameof(step), step.Kind, "This step sends no message."),
    };

    private static Notification NotificationFor(Credential c, RenewalStep step, NotificationKind kind, DateTimeOffset now)
    {
        var schedule = c.Schedule!;
        int? daysLeft = step.Kind switch
        {
            RenewalStepKind.Reminder => DaysFrom(now, schedule.ExpiresAt),
            RenewalStepKind.GraceNotice => DaysFrom(now, schedule.GraceEndsAt),
            _ => null,
        };
        return new Notification(kind, step.DeliveryKey, c.CertificateId, c.Holder.LegalName, c.Holder.Email, c.Program.Name,
            c.Program.IssuingOrganization, c.ExpiresAt, schedule.GraceEndsAt, daysLeft, c.Terms.Pathways) { PathwayLinks = c.Terms.PathwayLinks };

        static int DaysFrom(DateTimeOffset now, DateTimeOffset until) => Math.Max(0, (int)Math.Ceiling((until - now).TotalDays));
    }
}
