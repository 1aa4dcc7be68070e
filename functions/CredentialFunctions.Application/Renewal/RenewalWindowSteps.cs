using CredentialFunctions.Application.Notifications;
using CredentialFunctions.Application.Ports;
using CredentialFunctions.Domain;
using CredentialFunctions.Domain.Credentials;
using CredentialFunctions.Domain.Programs;
using CredentialFunctions.Domain.Renewal;
using Microsoft.Extensions.Logging;

namespace CredentialFunctions.Application.Renewal;

public sealed record PlanRequest(string CertificateId, DateTimeOffset Now);

/// <summary>The record's cycle and its next step; no step when the window has nothing more to do (or the record is gone).</summary>
public sealed record RenewalPlan(int Cycle, RenewalStep? Next);

public sealed record StepRequest(string CertificateId, RenewalStep Step);

/// <summary>Another sender holds a live claim on the message: retry later, by when it is sent or its claim has run out.</summary>
public sealed class DeliveryInProgressException(string deliveryKey)
    : DomainException($"Delivery {deliveryKey} is being sent by another attempt.");

/// <summary>
/// The I/O of the renewal window, behind its two activities. Every step re-reads the record and
/// acts only if that step is still the one due, inside the ETag-guarded write; so a retried,
/// replayed or late step, or one overtaken by a renewal, changes nothing and sends nothing twice.
/// </summary>
public sealed class RenewalWindowSteps(
    ICredentialStore credentials, CredentialUpdater updater, INotificationSender sender, IIdSource ids, TimeProvider clock,
    ILogger<RenewalWindowSteps> logger)
{
    /// <summary>Longer than any send takes; a claim older than this belongs to a sender that died mid-send.</summary>
    public static readonly TimeSpan DeliveryLease = TimeSpan.FromMinutes(5);

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
                await updater.UpdateAsync(certificateId, c => (taken = StillDue(c)) ? c.Lapse(now) : null, cancellationToken);
                return taken;
            case RenewalStepKind.RenewByCredits:
                await updater.UpdateAsync(certificateId, c => (taken = StillDue(c))
                    ? c.Renew(RenewalPathway.ContinuingEducationCredits, now, Credential.SystemActor)
                    : null, cancellationToken);
                return taken;
            default:
                return await SendAsync(certificateId, step, StillDue, now, cancellationToken);
        }
    }

    /// <summary>Claim the delivery key on the record, send, record the result: at most one send per key while a claim is live.</summary>
    private async Task<bool> SendAsync(string certificateId, RenewalStep step, Func<Credential, bool> stillDue, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var key = step.DeliveryKey;
        var kind = NotificationKindOf(step);
        var claimant = ids.NewId("send");
        var record = await updater.UpdateUnauditedAsync(certificateId,
            c => stillDue(c) ? c.ClaimDelivery(key, kind.ToString(), claimant, now, DeliveryLease) : null, cancellationToken);
        if (record.DeliveryFor(key) is not { Result: DeliveryResult.Sending } claim || claim.ClaimedBy != claimant)
        {
            if (record.DeliveryFor(key) is { Result: DeliveryResult.Sending } && stillDue(record)) throw new DeliveryInProgressException(key);
            logger.LogInformation("Delivery {DeliveryKey} of {CertificateId} is already sent or no longer due", key, certificateId);
            return false;
        }

        string messageId;
        try
        {
            messageId = await sender.SendAsync(NotificationFor(record, step, kind, now), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Recorded, then rethrown so the orchestration's retry policy tries again.
            await updater.UpdateUnauditedAsync(certificateId,
                c => c.DeliveryFor(key)?.ClaimedBy == claimant ? c.RecordDeliveryFailed(key, $"{e.GetType().Name}: {e.Message}") : null, CancellationToken.None);
            throw;
        }
        await updater.UpdateAsync(certificateId,
            c => c.DeliveryFor(key) is { Result: not DeliveryResult.Sent } ? c.RecordDeliverySent(key, messageId, clock.GetUtcNow()) : null, CancellationToken.None);
        logger.LogInformation("Sent {DeliveryKey} to the holder of {CertificateId} as {MessageId}", key, certificateId, messageId);
        return true;
    }

    private static NotificationKind NotificationKindOf(RenewalStep step) => step.Kind switch
    {
        RenewalStepKind.OpeningNotice => step.Occasion?.Split(':')[0] switch
        {
            "renewed" => NotificationKind.Renewed,
            "reinstated" => NotificationKind.Reinstated,
            _ => NotificationKind.Issued,
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
            c.Program.IssuingOrganization, c.ExpiresAt, schedule.GraceEndsAt, daysLeft, c.Terms.Pathways);

        static int DaysFrom(DateTimeOffset now, DateTimeOffset until) => Math.Max(0, (int)Math.Ceiling((until - now).TotalDays));
    }
}
