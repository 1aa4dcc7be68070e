using CredentialFunctions.Application.Access;
using CredentialFunctions.Application.Events;
using CredentialFunctions.Application.Outbox;
using CredentialFunctions.Application.Ports;
using CredentialFunctions.Application.Renewal;
using CredentialFunctions.Application.StatusLists;
using CredentialFunctions.Domain;
using CredentialFunctions.Domain.Credentials;
using CredentialFunctions.Domain.Programs;
using Microsoft.Extensions.Logging;

namespace CredentialFunctions.Application.Issuance;

/// <summary>
/// Turns an LMS completion into a credential, exactly once per LMS event id and at most one open
/// credential per learner and program. A pass is decided on the learner's <see cref="Holding"/> of
/// the program and recorded there as pending; then the receipt (keyed by event id), the credential
/// and its renewal window are written, and clearing the pending pass comes last. Each write is
/// create-if-absent or ETag-guarded and built from the pending receipt, so a crash between any two
/// of them is finished by the LMS's retry of the event or, failing that, by
/// <see cref="IssuanceReconciliation"/>.
/// </summary>
public sealed class IssuanceService(
    IProgramStore programs, ICredentialStore credentials, IReceiptStore receipts, IHoldingStore holdings, FirstCredentials firsts, IRenewalWindows windows, IIdSource ids, CredentialUpdater updater, EventPublisher<Credential> events, StatusListPublisher statusLists, IPurgeLog purgeLog,
    TimeProvider clock, ILogger<IssuanceService> logger)
{
    public const string LmsIntegration = "lms";

    /// <summary>Who the audit trail says issued or renewed: the LMS, named as its signed webhook calls are.</summary>
    private static readonly Caller Lms = Caller.Integration(LmsIntegration);

    private const int MaxDecisionAttempts = 10;

    public Task<(CompletionResult Result, bool FirstDelivery)> RecordLmsCompletionAsync(LmsCompletion completion, CancellationToken cancellationToken)
        => RecordCompletionAsync(completion, null, cancellationToken);

    /// <param name="origin">Who the audit trail says issued or renewed, and why, when not the LMS's webhook (a bulk issuance run).</param>
    public async Task<(CompletionResult Result, bool FirstDelivery)> RecordCompletionAsync(LmsCompletion completion, CompletionOrigin? origin, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        completion = completion.Validated(now);

        if (await ReplayAsync(completion.EventId, cancellationToken) is { } replayed) return (replayed, false);

        var program = await programs.GetCurrentAsync(completion.ProgramId, cancellationToken)
            ?? throw new UnknownReferenceException("programId", $"There is no program '{completion.ProgramId}'. Create it first, or check the id the LMS sends.");
        var outcome = program.Assess(completion.Score);
        var (decided, holding) = outcome == AssessmentOutcome.Passed
            ? await DecidePassAsync(completion, program.Version, origin, now, cancellationToken)
            : (new CompletionReceipt(completion, program.Version, outcome, null, now) { Origin = origin }, null);
        return await RecordAsync(decided, holding, cancellationToken);
    }

    /// <summary>What an event recorded before answers, its work finished first if a crash left it undone; null for an event never recorded.</summary>
    public async Task<CompletionResult?> ReplayAsync(string eventId, CancellationToken cancellationToken)
        => await receipts.GetAsync<CompletionReceipt>(ReceiptKey(eventId), cancellationToken) is { } earlier
            ? await CompleteAsync(earlier, firstReceipt: false, null, cancellationToken)
            : null;

    /// <summary>Finishes a pending pass left on a holding, exactly as the LMS's retry of its event would.</summary>
    public async Task<CompletionResult> FinishPendingAsync(CompletionReceipt pending, CancellationToken cancellationToken)
        => (await RecordAsync(pending, null, cancellationToken)).Result;

    public static string ReceiptKey(string eventId) => $"{LmsIntegration}:{eventId}";

    /// <param name="holding">The holding as the decision wrote it, with the pass pending: settled without a read.</param>
    private async Task<(CompletionResult Result, bool FirstDelivery)> RecordAsync(CompletionReceipt decided, Versioned<Holding>? holding, CancellationToken cancellationToken)
    {
        var (receipt, first) = await FixReceiptAsync(decided, cancellationToken);
        return (await CompleteAsync(receipt, first, holding, cancellationToken), first);
    }

    /// <summary>Writes the receipt of a decided pass unless one of its event is already written: the first receipt is what every delivery of the event answers.</summary>
    private async Task<(CompletionReceipt Receipt, bool First)> FixReceiptAsync(CompletionReceipt decided, CancellationToken cancellationToken)
    {
        var key = ReceiptKey(decided.Completion.EventId);
        if (await receipts.TryCreateAsync(key, decided, cancellationToken)) return (decided, true);
        // A concurrent delivery of the same event won the race: answer what it decided.
        return (await receipts.GetAsync<CompletionReceipt>(key, cancellationToken)
            ?? throw new InvalidOperationException($"Receipt {key} conflicted but cannot be read."), false);
    }

    /// <summary>
    /// Makes sure the change a receipt promises is made and its renewal window runs, then clears the
    /// pass from the holding; harmless when all of it is already done. If a step fails, the delivery
    /// fails and the LMS's retry comes back here; should it never retry, the pass stays pending on
    /// the holding and the daily reconciliation finishes it.
    /// </summary>
    /// <param name="firstReceipt">The receipt was written just now: its credential is almost surely not, so it is written without a read first.</param>
    private async Task<CompletionResult> CompleteAsync(CompletionReceipt receipt, bool firstReceipt, Versioned<Holding>? holding, CancellationToken cancellationToken)
    {
        // Its credential was purged: the receipt names nobody, and issuing from it again would bring back
        // (or replace) a record the retention policy removed. The event answers what it did, and when that went.
        if (receipt.RemovedAt is not null) return CompletionResult.From(receipt);
        switch (receipt)
        {
            case { Action: CompletionAction.Issued, CertificateId: { } issuedId }:
                var held = firstReceipt ? null : await credentials.GetAsync(issuedId, cancellationToken);
                // Read just before the purge stripped the receipt, the record gone just after: the purge log says so.
                if (held is null && !firstReceipt && await purgeLog.GetAsync(issuedId, cancellationToken) is { } purged)
                    return CompletionResult.From(receipt) with { RemovedAt = purged.PurgedAt };
                var (credential, claims) = held is not null ? (held, []) : await IssueAsync(receipt, issuedId, cancellationToken);
                if (claims.Count > 0) await events.TrySendClaimedAsync(issuedId, credential, claims, cancellationToken);
                else await events.TryPublishAsync(issuedId, credential.Value, credential.ETag, cancellationToken);
                if (credential.Value.ExpiresAt is not null) await windows.StartAsync(issuedId, cancellationToken);
                break;
            case { Action: CompletionAction.Renewed, CertificateId: { } renewedId, RenewsCycle: { } cycle }:
                var c = receipt.Completion;
                // Recorded as a renewal by exam result records it; not re-checked: the threshold at receipt already decided the pass.
                var retake = new ExamResult(c.Score, c.CompletedAt, ReasonOf(receipt)) { Cycle = cycle };
                var renewed = await updater.UpdateAsync(renewedId, held => held.Cycle != cycle ? null
                    : held.Renew(RenewalPathway.RetakeExam, receipt.ReceivedAt, ActorOf(receipt), retake.Recorded), cancellationToken);
                await events.TryPublishAsync(renewedId, renewed, cancellationToken);
                await windows.RaiseAsync(renewedId, new RenewalWindowEvent(RenewalWindowEventKind.Renewed, receipt.ReceivedAt), cancellationToken);
                await windows.StartAsync(renewedId, cancellationToken);
                break;
        }
        if (receipt.Outcome == AssessmentOutcome.Passed) await SettleAsync(receipt.Completion, holding, cancellationToken);
        return CompletionResult.From(receipt);
    }

    /// <summary>
    /// A pass by someone who already holds the program's credential is a retake: it renews the
    /// credential when renewal is open, and otherwise changes nothing, rather than issuing a second
    /// credential for the same program. A revoked or superseded one no longer holds the program, so
    /// the pass issues anew. The decision counts only once its conditional write of the holding
    /// succeeds; a pass that loses the race reads the winner's holding and decides again on it.
    /// </summary>
    /// <returns>The decision, and the holding as written with it pending (null when this decision wrote none).</returns>
    private async Task<(CompletionReceipt Decided, Versioned<Holding>? Holding)> DecidePassAsync(LmsCompletion completion, int programVersion, CompletionOrigin? origin, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var learnerId = LearnerIdFor(completion.Learner.ExternalId);
        CompletionReceipt Pass(string certificateId, CompletionAction action, int? cycle = null)
            => new(completion, programVersion, AssessmentOutcome.Passed, certificateId, now, action, cycle) { Origin = origin };

        for (var attempt = 1; attempt <= MaxDecisionAttempts; attempt++)
        {
            if (await firsts.HoldingAsync(learnerId, completion.ProgramId, cancellationToken) is not { } current)
            {
                var first = Pass((await firsts.NewIdAsync(completion.ProgramId, learnerId, cancellationToken)).Value, CompletionAction.Issued);
                var created = new Holding(learnerId, completion.ProgramId, first.CertificateId!, first);
                if (await holdings.CreateIfAbsentAsync(created, cancellationToken) is { } etag) return (first, new Versioned<Holding>(created, etag));
                continue;
            }
            var holding = current.Value;
            // A reinstatement took the holding: it is finished, never undone, so its credential holds the program.
            if (holding.Reinstating is not null) return (Pass(holding.CertificateId, CompletionAction.AlreadyHeld), null);
            if (holding.Pending is { } pending)
            {
                // The same event's earlier delivery decided and did not finish: carry on with its decision.
                if (pending.Completion.EventId == completion.EventId) return (pending, current);
                // Another event's pending pass holds the program only once its receipt says so; until then a delivery of
                // that event decided before it (alreadyHeld, say) may still write its receipt first and void the pass, and
                // an answer naming the pending credential would name one never issued. So the receipt is fixed here: if it
                // is the pending pass, the pass is bound to finish; if not, the pass never happens and is cleared.
                var (receipt, _) = await FixReceiptAsync(pending, cancellationToken);
                if ((receipt.Action, receipt.CertificateId, receipt.RenewsCycle) == (pending.Action, pending.CertificateId, pending.RenewsCycle))
                    return (Pass(holding.CertificateId, CompletionAction.AlreadyHeld), null);
                await SettleAsync(pending.Completion, current, cancellationToken);
                continue;
            }

            var held = (await credentials.GetAsync(holding.CertificateId, cancellationToken))?.Value;
            CompletionReceipt? decided = ActionOfPass(held, now) switch
            {
                CompletionAction.Issued => Pass(ids.NewCertificateId().Value, CompletionAction.Issued),
                CompletionAction.Renewed => Pass(held!.CertificateId, CompletionAction.Renewed, held.Cycle),
                _ => null,
            };
            if (decided is null) return (Pass(holding.CertificateId, CompletionAction.AlreadyHeld), null);
            var replaced = holding with { CertificateId = decided.CertificateId!, Pending = decided };
            if (await holdings.ReplaceIfCurrentAsync(replaced, current.ETag, cancellationToken) is { } replacedETag) return (decided, new Versioned<Holding>(replaced, replacedETag));
        }
        throw new ConcurrencyConflictException($"The holding of program '{completion.ProgramId}' by {learnerId} kept changing; deliver the event again.");
    }

    /// <summary>
    /// What a pass does given the credential that holds the program: issues anew when there is none
    /// (missing without a pending issue: the pass that named it lost its receipt's race and released
    /// the holding) or it has ended, renews it by retake when renewal is open, and otherwise changes nothing.
    /// </summary>
    public static CompletionAction ActionOfPass(Credential? held, DateTimeOffset at) => held switch
    {
        null or { HasEnded: true } => CompletionAction.Issued,
        _ when held.IsRenewableBy(RenewalPathway.RetakeExam, at) => CompletionAction.Renewed,
        _ => CompletionAction.AlreadyHeld,
    };

    /// <summary>
    /// Clears this event's pass from the holding once its receipt's work is done. Also when the
    /// receipt says something else (another delivery of the event decided first): the pass then
    /// never happens and must not hold the program.
    /// </summary>
    /// <param name="known">The holding as last written or read here: cleared without a read unless it changed since.</param>
    private async Task SettleAsync(LmsCompletion completion, Versioned<Holding>? known, CancellationToken cancellationToken)
    {
        if (known is { Value.Pending: { } pass } && pass.Completion.EventId == completion.EventId
            && await holdings.TryReplaceAsync(known.Value with { Pending = null }, known.ETag, cancellationToken))
            return;
        var learnerId = LearnerIdFor(completion.Learner.ExternalId);
        while (await holdings.GetAsync(learnerId, completion.ProgramId, cancellationToken) is { Value.Pending: { } pending } current
               && pending.Completion.EventId == completion.EventId)
        {
            if (await holdings.TryReplaceAsync(current.Value with { Pending = null }, current.ETag, cancellationToken)) return;
        }
    }

    /// <returns>
    /// The credential with its ETag, and the events it owes, claimed in its create when this call
    /// created it (none when another delivery did: its events are then published as they stand).
    /// </returns>
    private async Task<(Versioned<Credential> Credential, IReadOnlyList<OutboxClaim> Claims)> IssueAsync(CompletionReceipt receipt, string certificateId, CancellationToken cancellationToken)
    {
        var c = receipt.Completion;
        var program = await programs.GetVersionAsync(c.ProgramId, receipt.ProgramVersion, cancellationToken)
            ?? throw new InvalidOperationException($"Program {c.ProgramId}@{receipt.ProgramVersion} of receipt {c.EventId} is missing.");
        var issued = await NewCredentialAsync(c, program, certificateId, receipt.ReceivedAt, ActorOf(receipt), ReasonOf(receipt), cancellationToken);
        var (claimed, claims) = events.ClaimBeforeCreate(issued);
        if (await credentials.CreateIfAbsentAsync(claimed, cancellationToken) is not { } etag)
            // Another delivery of the event or the reconciliation wrote it first, or a bulk run issued this first credential
            // at the same moment (see FirstCredentials): theirs is the credential, and it is the one this pass answers.
            return (await credentials.GetAsync(certificateId, cancellationToken) ?? throw new InvalidOperationException($"Credential {certificateId} conflicted but cannot be read."), []);
        logger.LogInformation("Issued credential {CertificateId} for program {ProgramId}@{Version}", certificateId, c.ProgramId, receipt.ProgramVersion);
        return (new Versioned<Credential>(claimed, etag), claims);
    }

    private async Task<Credential> NewCredentialAsync(LmsCompletion c, CertificationProgram program, string certificateId, DateTimeOffset at, string actor, string reason, CancellationToken cancellationToken)
        => NewCredential(c, program, certificateId, at, actor, reason, (await TryAllocateStatusListsAsync(1, cancellationToken))?[0]);

    /// <summary>The credential a pass issues, as written: its events owed, and its status list entries when it has them.</summary>
    public static Credential NewCredential(LmsCompletion c, CertificationProgram program, string certificateId, DateTimeOffset at, string actor, string reason, StatusListEntries? entries)
    {
        CertificateId.TryParse(certificateId, out var id);
        var issued = Credential.Issue(
            id,
            new LearnerIdentity(LearnerIdFor(c.Learner.ExternalId), c.Learner.FullLegalName, c.Learner.Email, c.Learner.ExternalId, c.Learner.HrId),
            program, new Completion(c.CompletedAt, c.Score), new Placement(c.Team, c.Cohort, c.JobSite),
            at, actor, reason).Credential;
        return entries is null ? issued : issued.WithStatusLists(entries);
    }

    private static string ActorOf(CompletionReceipt receipt) => receipt.Origin?.Actor ?? Lms.AuditName;

    private static string ReasonOf(CompletionReceipt receipt) => receipt.Origin?.Reason ?? $"LMS completion event {receipt.Completion.EventId}";

    /// <summary>
    /// New credentials' status list entries, written with them. Not a reason to fail a pass: one
    /// written without them is assigned them at first need (a revocation, a suspension, its badge).
    /// </summary>
    public async Task<IReadOnlyList<StatusListEntries>?> TryAllocateStatusListsAsync(int count, CancellationToken cancellationToken)
    {
        try
        {
            return await statusLists.AllocateEntriesAsync(count, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "{Count} credentials are issued without status list entries; they are assigned at first need", count);
            return null;
        }
    }

    /// <summary>Learners are known by the LMS's id until an HR or identity integration links more.</summary>
    public static string LearnerIdFor(string lmsExternalId) => $"lms:{lmsExternalId}";

    /// <summary>The LMS's id of a learner known by it; null for a learner id the issuance path does not issue to.</summary>
    public static string? LmsExternalIdOf(string learnerId)
        => learnerId.StartsWith(LearnerIdFor(""), StringComparison.Ordinal) && learnerId.Length > LearnerIdFor("").Length ? learnerId[LearnerIdFor("").Length..] : null;
}
