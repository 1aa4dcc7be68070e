using System.Globalization;
using CredentialFunctions.Application.Access;
using CredentialFunctions.Application.Events;
using CredentialFunctions.Application.Issuance;
using CredentialFunctions.Application.Learners;
using CredentialFunctions.Application.Ports;
using CredentialFunctions.Application.StatusLists;
using CredentialFunctions.Application.Verification;
using CredentialFunctions.Domain;
using CredentialFunctions.Domain.Credentials;
using CredentialFunctions.Domain.Programs;
using Microsoft.Extensions.Logging;

namespace CredentialFunctions.Application.Renewal;

/// <summary>Evidence that a renewal pathway was completed, one shape per pathway (seed 003).</summary>
public abstract record PathwayEvidence(RenewalPathway Pathway)
{
    /// <summary>The cycle the submission renews, from the record: a repeat after the renewal is refused rather than renewing twice.</summary>
    public required int Cycle { get; init; }

    internal abstract IReadOnlyDictionary<string, string> Describe(Credential credential, DateTimeOffset now);
}

public sealed record ExamResult(decimal Score, DateTimeOffset CompletedAt, string? Reference = null) : PathwayEvidence(RenewalPathway.RetakeExam)
{
    internal override IReadOnlyDictionary<string, string> Describe(Credential credential, DateTimeOffset now)
    {
        if (Score is < 0 or > 100) throw ValidationFailedException.For("score", "The score must be from 0 to 100.");
        if (Score < credential.PassThreshold)
            throw ValidationFailedException.For("score", $"A score of {Score.ToString(CultureInfo.InvariantCulture)} does not pass (threshold {credential.PassThreshold.ToString(CultureInfo.InvariantCulture)}): a failed retake does not renew.");
        var errors = new ValidationErrors();
        var reference = PlainText.Optional(errors, "reference", Reference, 200);
        errors.ThrowIfAny();
        CredentialLifecycle.RequireWithinCycle(credential, CompletedAt, now, "completedAt");
        return (this with { Reference = reference }).Recorded;
    }

    /// <summary>The result as the audit entry of the renewal keeps it.</summary>
    internal IReadOnlyDictionary<string, string> Recorded
        => Evidence.Of(("score", Score.ToString(CultureInfo.InvariantCulture)), ("completedAt", CompletedAt.ToString("O")), ("reference", Reference));
}

public sealed record RefresherModuleCompletion(string ModuleId, DateTimeOffset CompletedAt) : PathwayEvidence(RenewalPathway.RefresherModule)
{
    internal override IReadOnlyDictionary<string, string> Describe(Credential credential, DateTimeOffset now)
    {
        var errors = new ValidationErrors();
        var moduleId = PlainText.Required(errors, "moduleId", ModuleId, 200);
        errors.ThrowIfAny();
        CredentialLifecycle.RequireWithinCycle(credential, CompletedAt, now, "completedAt");
        return Evidence.Of(("moduleId", moduleId), ("completedAt", CompletedAt.ToString("O")));
    }
}

/// <param name="SupervisorName">The supervisor's name as it should stand in the record; the token says who they are.</param>
public sealed record SupervisorSignOff(string SupervisorName, string Statement) : PathwayEvidence(RenewalPathway.SupervisorSignOff)
{
    internal override IReadOnlyDictionary<string, string> Describe(Credential credential, DateTimeOffset now)
    {
        var errors = new ValidationErrors();
        var supervisorName = PlainText.Required(errors, "supervisorName", SupervisorName, 300);
        var statement = PlainText.Required(errors, "statement", Statement, 2000);
        errors.ThrowIfAny();
        return Evidence.Of(("supervisorName", supervisorName), ("statement", statement));
    }
}

/// <summary>A claim that this cycle's counted credits meet the program's requirement; the renewal's audit entry records them.</summary>
public sealed record CreditsClaim() : PathwayEvidence(RenewalPathway.ContinuingEducationCredits)
{
    internal override IReadOnlyDictionary<string, string> Describe(Credential credential, DateTimeOffset now) => Evidence.Of();
}

internal static class Evidence
{
    public static IReadOnlyDictionary<string, string> Of(params (string Key, string? Value)[] items)
        => items.Where(i => i.Value is not null).ToDictionary(i => i.Key, i => i.Value!);
}

/// <summary>CE/CPD credits as submitted.</summary>
public sealed record CreditSubmission(DateTimeOffset EarnedAt, decimal Amount, string Category, string Activity, string? Reference = null);

/// <summary>What logging or reviewing a credit did: the credit as it stands, and whether it completed a renewal.</summary>
public sealed record CreditOutcome(Credential Credential, LoggedCredit Credit, bool Renewed);

/// <summary>
/// Everything that changes a credential after issue, other than the renewal window's own steps:
/// renewal by each pathway, credits, grace extension, revocation, suspension, the learner leaving,
/// and reinstatement. Each is one ETag-guarded write of the record, its audit entry and the event it
/// owes (a reinstatement first takes the learner's holding of the program: <see cref="HoldingReinstatement"/>);
/// then the event is published and the credential's renewal window is told. The record is the truth:
/// if telling the window fails, the write stands and the daily reconciliation brings the window in
/// line. A change of what the status lists publish (revocation, suspension, reinstatement) is then
/// published the same way: the record first, the lists after it (<see cref="StatusListPublisher"/>),
/// the daily sweep behind both.
/// </summary>
public sealed class CredentialLifecycle(
    CredentialUpdater updater, ICredentialStore credentials, SupervisionService supervision, HoldingReinstatement reinstatement, IRenewalWindows windows, EventPublisher<Credential> events, StatusListPublisher statusLists, TimeProvider clock, ILogger<CredentialLifecycle> logger)
{
    public async Task<Credential> RenewAsync(string certificateId, PathwayEvidence evidence, Caller caller, CancellationToken cancellationToken)
    {
        var id = VerificationService.ParseOrThrow(certificateId).Value;
        if (evidence is SupervisorSignOff) await RequireSupervisorAsync(id, caller, cancellationToken);
        var now = clock.GetUtcNow();
        var renewed = await updater.UpdateAsync(id, c =>
        {
            RequireAllowed(c, evidence, caller);
            if (c.Cycle != evidence.Cycle)
                throw new InvalidTransitionException(c.Cycle > evidence.Cycle
                    ? $"Cycle {evidence.Cycle} of {id} was already renewed; the credential is in cycle {c.Cycle}."
                    : $"{id} is in cycle {c.Cycle}, not {evidence.Cycle}.");
            return c.Renew(evidence.Pathway, now, caller.AuditName, evidence.Describe(c, now));
        }, cancellationToken);
        await events.TryPublishAsync(id, renewed, cancellationToken);
        await TellWindowAsync(id, RenewalWindowEventKind.Renewed, now, startIfEnded: true, cancellationToken);
        return renewed;
    }

    /// <summary>
    /// Logs credits: the holder's own wait for review where the program requires it, staff's count at
    /// once. Counted credits that complete this cycle's requirement inside the renewal window renew at once.
    /// </summary>
    public async Task<CreditOutcome> LogCreditAsync(string certificateId, CreditSubmission credit, Caller caller, CancellationToken cancellationToken)
    {
        var id = VerificationService.ParseOrThrow(certificateId).Value;
        var now = clock.GetUtcNow();
        var renewed = false;
        var updated = await updater.UpdateAsync(id, c =>
        {
            if (!caller.IsStaff && !caller.Owns(c)) throw new AccessDeniedException("Learners may log credits only on their own credentials.");
            var source = caller.IsStaff ? CreditSource.ProgramStaff : CreditSource.Holder;
            var logged = c.LogCredit(credit.EarnedAt, credit.Amount, credit.Category, credit.Activity, credit.Reference, source, now, caller.AuditName);
            var renewal = RenewIfCreditsEarned(logged?.Credential ?? c, now, caller);
            renewed = renewal is not null;
            return renewal ?? logged;
        }, cancellationToken);
        await events.TryPublishAsync(id, updated, cancellationToken);
        if (renewed) await TellWindowAsync(id, RenewalWindowEventKind.Renewed, now, startIfEnded: true, cancellationToken);
        // A repeated reference changed nothing: the answer names the credit logged the first time.
        var entry = credit.Reference is { } reference ? updated.CreditLog.WithReference(reference)! : updated.CreditLog[^1];
        return new CreditOutcome(updated, entry, renewed);
    }

    /// <summary>A program manager approves a pending credit; when it completes this cycle's requirement in the window, it renews at once.</summary>
    public Task<CreditOutcome> ApproveCreditAsync(string certificateId, int creditNumber, Caller caller, CancellationToken cancellationToken)
        => ReviewCreditAsync(certificateId, creditNumber, (c, now) => c.ApproveCredit(creditNumber, now, caller.AuditName), caller, cancellationToken);

    public Task<CreditOutcome> RejectCreditAsync(string certificateId, int creditNumber, string reason, Caller caller, CancellationToken cancellationToken)
        => ReviewCreditAsync(certificateId, creditNumber, (c, now) => c.RejectCredit(creditNumber, now, caller.AuditName, reason), caller, cancellationToken);

    private async Task<CreditOutcome> ReviewCreditAsync(string certificateId, int creditNumber,
        Func<Credential, DateTimeOffset, CredentialChange> review, Caller caller, CancellationToken cancellationToken)
    {
        var id = VerificationService.ParseOrThrow(certificateId).Value;
        var now = clock.GetUtcNow();
        var renewed = false;
        var updated = await updater.UpdateAsync(id, c =>
        {
            var reviewed = review(c, now);
            var renewal = RenewIfCreditsEarned(reviewed.Credential, now, caller);
            renewed = renewal is not null;
            return renewal ?? reviewed;
        }, cancellationToken);
        await events.TryPublishAsync(id, updated, cancellationToken);
        if (renewed) await TellWindowAsync(id, RenewalWindowEventKind.Renewed, now, startIfEnded: true, cancellationToken);
        return new CreditOutcome(updated, updated.CreditLog.Find(creditNumber)!, renewed);
    }

    private static CredentialChange? RenewIfCreditsEarned(Credential credential, DateTimeOffset now, Caller caller)
        => credential.IsRenewableByCreditsAt(now) ? credential.Renew(RenewalPathway.ContinuingEducationCredits, now, caller.AuditName) : null;

    public Task<Credential> ExtendGraceAsync(string certificateId, DateTimeOffset graceEndsAt, string reason, Caller caller, CancellationToken cancellationToken)
        => ChangeAsync(certificateId, RenewalWindowEventKind.GraceExtended, (c, now) => c.ExtendGrace(graceEndsAt, now, caller.AuditName, reason), cancellationToken);

    public async Task<Credential> RevokeAsync(string certificateId, string reason, Caller caller, CancellationToken cancellationToken)
        => await PublishStatusAsync(await ChangeAsync(certificateId, RenewalWindowEventKind.Revoked, (c, now) => c.Revoke(now, caller.AuditName, reason), cancellationToken), cancellationToken);

    /// <summary>Puts the credential on hold. Its renewal window is not told: the clock runs on while suspended.</summary>
    public Task<Credential> SuspendAsync(string certificateId, string reason, Caller caller, CancellationToken cancellationToken)
        => ChangeStatusAsync(certificateId, (c, now) => c.Suspend(now, caller.AuditName, reason), cancellationToken);

    public Task<Credential> LiftSuspensionAsync(string certificateId, string reason, Caller caller, CancellationToken cancellationToken)
        => ChangeStatusAsync(certificateId, (c, now) => c.LiftSuspension(now, caller.AuditName, reason), cancellationToken);

    /// <summary>Corrects the holder's legal name. The renewal window is not told: it reads the name from the record when it writes.</summary>
    public Task<Credential> CorrectLegalNameAsync(string certificateId, string legalName, string reason, Caller caller, CancellationToken cancellationToken)
    {
        var id = VerificationService.ParseOrThrow(certificateId).Value;
        var now = clock.GetUtcNow();
        return updater.UpdateAsync(id, c => c.CorrectLegalName(legalName, now, caller.AuditName, reason), cancellationToken);
    }

    public Task<Credential> EndTrackingAsync(string certificateId, string reason, Caller caller, CancellationToken cancellationToken)
        => ChangeAsync(certificateId, RenewalWindowEventKind.LearnerLeft, (c, now) => c.EndTracking(now, caller.AuditName, reason), cancellationToken);

    /// <summary>
    /// Restores a lapsed or revoked credential, unless another credential of the learner now holds the
    /// program, and starts its renewal window again.
    /// </summary>
    public async Task<Credential> ReinstateAsync(string certificateId, string reason, Caller caller, CancellationToken cancellationToken)
    {
        var id = VerificationService.ParseOrThrow(certificateId).Value;
        var reinstated = await reinstatement.ReinstateAsync(id, new PendingReinstatement(clock.GetUtcNow(), caller.AuditName, reason), cancellationToken);
        await events.TryPublishAsync(id, reinstated, cancellationToken);
        await StartWindowAsync(id, cancellationToken);
        return await PublishStatusAsync(reinstated, cancellationToken);
    }

    internal static void RequireWithinCycle(Credential credential, DateTimeOffset completedAt, DateTimeOffset now, string field)
    {
        if (ClockSkew.IsInTheFuture(completedAt, now)) throw ValidationFailedException.For(field, "The completion date cannot be in the future.");
        if (completedAt < credential.CycleStartedAt)
            throw ValidationFailedException.For(field, $"Completed before this cycle began ({credential.CycleStartedAt:yyyy-MM-dd}): it cannot renew this cycle.");
    }

    private static void RequireAllowed(Credential c, PathwayEvidence evidence, Caller caller)
    {
        if (evidence is CreditsClaim && !caller.IsStaff && !caller.Owns(c))
            throw new AccessDeniedException("Learners may claim renewal only of their own credentials.");
    }

    /// <summary>
    /// Only a supervisor of the holder may sign off, and never the holder. Checked before the update:
    /// a credential's holder never changes, so the record read here names the same learner.
    /// </summary>
    private async Task RequireSupervisorAsync(string id, Caller caller, CancellationToken cancellationToken)
    {
        var credential = (await credentials.GetAsync(id, cancellationToken) ?? throw new NotFoundException("Credential", id)).Value;
        if (caller.IsHolderOf(credential)) throw new AccessDeniedException("A learner cannot sign off their own renewal.");
        if (!await supervision.SupervisesAsync(caller, credential.Holder.LearnerId, cancellationToken))
            throw new AccessDeniedException($"You do not supervise learner {credential.Holder.LearnerId}: a program manager assigns supervisors (POST /api/learners/{{learnerId}}/supervisors).");
    }

    private async Task<Credential> ChangeAsync(string certificateId, RenewalWindowEventKind kind, Func<Credential, DateTimeOffset, CredentialChange> change, CancellationToken cancellationToken)
    {
        var id = VerificationService.ParseOrThrow(certificateId).Value;
        var now = clock.GetUtcNow();
        var updated = await updater.UpdateAsync(id, c => change(c, now), cancellationToken);
        await events.TryPublishAsync(id, updated, cancellationToken);
        await TellWindowAsync(id, kind, now, startIfEnded: false, cancellationToken);
        return updated;
    }

    private async Task<Credential> ChangeStatusAsync(string certificateId, Func<Credential, DateTimeOffset, CredentialChange> change, CancellationToken cancellationToken)
    {
        var id = VerificationService.ParseOrThrow(certificateId).Value;
        var now = clock.GetUtcNow();
        return await PublishStatusAsync(await updater.UpdateAsync(id, c => change(c, now), cancellationToken), cancellationToken);
    }

    /// <summary>The record stands whatever happens to the lists: a publication that fails is logged, the record stays marked behind, and the daily sweep publishes it.</summary>
    private async Task<Credential> PublishStatusAsync(Credential changed, CancellationToken cancellationToken)
    {
        try
        {
            return await statusLists.PublishAsync(changed.CertificateId, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Credential {CertificateId} changed but its status lists were not written; the daily sweep will write them", changed.CertificateId);
            return changed;
        }
    }

    /// <param name="startIfEnded">
    /// After a lapse the window may have ended; a renewal then needs a new one. Starting is harmless
    /// when the window runs, and an event to an ended window is dropped, so both are sent.
    /// </param>
    private async Task TellWindowAsync(string id, RenewalWindowEventKind kind, DateTimeOffset at, bool startIfEnded, CancellationToken cancellationToken)
    {
        try
        {
            await windows.RaiseAsync(id, new RenewalWindowEvent(kind, at), cancellationToken);
            if (startIfEnded) await windows.StartAsync(id, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Credential {CertificateId} changed ({Kind}) but its renewal window was not told; reconciliation will repair it", id, kind);
        }
    }

    private async Task StartWindowAsync(string id, CancellationToken cancellationToken)
    {
        try
        {
            await windows.StartAsync(id, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Credential {CertificateId} was reinstated but its renewal window did not start; reconciliation will repair it", id);
        }
    }
}
