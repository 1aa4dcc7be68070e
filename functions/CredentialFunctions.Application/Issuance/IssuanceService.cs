using CredentialFunctions.Application.Ports;
using CredentialFunctions.Application.Renewal;
using CredentialFunctions.Domain.Credentials;
using CredentialFunctions.Domain.Programs;
using Microsoft.Extensions.Logging;

namespace CredentialFunctions.Application.Issuance;

/// <summary>
/// Turns an LMS completion into a credential, exactly once per LMS event id. The receipt (keyed by
/// event id) is written first and decides the outcome and the certificate id; the credential is
/// then created from the receipt, so a duplicate or a retry after a crash converges on the same
/// credential instead of issuing a second one. A credential that expires gets its renewal window
/// started once it is written; the window process is passed per call because in Azure its client
/// comes from the calling function's [DurableClient] binding, not from the container.
/// </summary>
public sealed class IssuanceService(
    IProgramStore programs, ICredentialStore credentials, IReceiptStore receipts, IIdSource ids, CredentialUpdater updater, TimeProvider clock,
    ILogger<IssuanceService> logger)
{
    public const string LmsIntegration = "lms";

    public async Task<(CompletionResult Result, bool FirstDelivery)> RecordLmsCompletionAsync(LmsCompletion completion, IRenewalWindows windows, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        completion = completion.Validated(now);
        var key = ReceiptKey(completion.EventId);

        if (await receipts.GetAsync<CompletionReceipt>(key, cancellationToken) is { } earlier)
            return (await CompleteAsync(earlier, windows, cancellationToken), false);

        var program = await programs.GetCurrentAsync(completion.ProgramId, cancellationToken)
            ?? throw new UnknownReferenceException("programId", $"There is no program '{completion.ProgramId}'. Create it first, or check the id the LMS sends.");
        var outcome = program.Assess(completion.Score);
        var receipt = outcome == AssessmentOutcome.Passed
            ? await DecidePassAsync(completion, program.Version, now, cancellationToken)
            : new CompletionReceipt(completion, program.Version, outcome, null, now);

        if (!await receipts.TryCreateAsync(key, receipt, cancellationToken))
        {
            // A concurrent delivery of the same event won the race: answer what it decided.
            var winner = await receipts.GetAsync<CompletionReceipt>(key, cancellationToken)
                ?? throw new InvalidOperationException($"Receipt {key} conflicted but cannot be read.");
            return (await CompleteAsync(winner, windows, cancellationToken), false);
        }
        return (await CompleteAsync(receipt, windows, cancellationToken), true);
    }

    public static string ReceiptKey(string eventId) => $"{LmsIntegration}:{eventId}";

    /// <summary>
    /// Makes sure the credential a receipt promises exists and its renewal window runs; harmless when
    /// both already do. If starting the window fails, the delivery fails and the LMS's retry comes back
    /// here; should it never retry, the daily reconciliation starts the window.
    /// </summary>
    private async Task<CompletionResult> CompleteAsync(CompletionReceipt receipt, IRenewalWindows windows, CancellationToken cancellationToken)
    {
        switch (receipt)
        {
            case { Action: CompletionAction.Issued, CertificateId: { } issuedId }:
                var credential = (await credentials.GetAsync(issuedId, cancellationToken))?.Value ?? await IssueAsync(receipt, issuedId, cancellationToken);
                if (credential.ExpiresAt is not null) await windows.StartAsync(issuedId, cancellationToken);
                break;
            case { Action: CompletionAction.Renewed, CertificateId: { } renewedId, RenewsCycle: { } cycle }:
                var c = receipt.Completion;
                // Recorded as a renewal by exam result records it; not re-checked: the threshold at receipt already decided the pass.
                var retake = new ExamResult(c.Score, c.CompletedAt, $"LMS completion event {c.EventId}") { Cycle = cycle };
                await updater.UpdateAsync(renewedId, held => held.Cycle != cycle ? null
                    : held.Renew(RenewalPathway.RetakeExam, receipt.ReceivedAt, $"integration:{LmsIntegration}", retake.Recorded), cancellationToken);
                await windows.RaiseAsync(renewedId, new RenewalWindowEvent(RenewalWindowEventKind.Renewed, receipt.ReceivedAt), cancellationToken);
                await windows.StartAsync(renewedId, cancellationToken);
                break;
        }
        return CompletionResult.From(receipt);
    }

    /// <summary>
    /// A pass by someone who already holds the program's credential is a retake: it renews the
    /// credential when renewal is open, and otherwise changes nothing, rather than issuing a second
    /// credential for the same program. A revoked or superseded one does not count as held.
    /// </summary>
    private async Task<CompletionReceipt> DecidePassAsync(LmsCompletion completion, int programVersion, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var held = (await credentials.FindHeldAsync(LearnerIdFor(completion.Learner.ExternalId), completion.ProgramId, cancellationToken))
            .Where(c => c.State is not (CredentialState.Revoked or CredentialState.Superseded))
            .MaxBy(c => c.IssuedAt);
        return held switch
        {
            null => new CompletionReceipt(completion, programVersion, AssessmentOutcome.Passed, ids.NewCertificateId().Value, now, CompletionAction.Issued),
            _ when held.IsRenewableBy(RenewalPathway.RetakeExam, now) =>
                new CompletionReceipt(completion, programVersion, AssessmentOutcome.Passed, held.CertificateId, now, CompletionAction.Renewed, held.Cycle),
            _ => new CompletionReceipt(completion, programVersion, AssessmentOutcome.Passed, held.CertificateId, now, CompletionAction.AlreadyHeld),
        };
    }

    private async Task<Credential> IssueAsync(CompletionReceipt receipt, string certificateId, CancellationToken cancellationToken)
    {
        var c = receipt.Completion;
        var program = await programs.GetVersionAsync(c.ProgramId, receipt.ProgramVersion, cancellationToken)
            ?? throw new InvalidOperationException($"Program {c.ProgramId}@{receipt.ProgramVersion} of receipt {c.EventId} is missing.");
        CertificateId.TryParse(certificateId, out var id);
        var issued = Credential.Issue(
            id,
            new LearnerIdentity(LearnerIdFor(c.Learner.ExternalId), c.Learner.FullLegalName, c.Learner.Email, c.Learner.ExternalId, c.Learner.HrId),
            program, new Completion(c.CompletedAt, c.Score), new Placement(c.Team, c.Cohort, c.JobSite),
            receipt.ReceivedAt, $"integration:{LmsIntegration}", $"LMS completion event {c.EventId}").Credential;
        if (await credentials.TryCreateAsync(issued, cancellationToken))
            logger.LogInformation("Issued credential {CertificateId} for program {ProgramId}@{Version}", certificateId, c.ProgramId, receipt.ProgramVersion);
        return issued;
    }

    /// <summary>Learners are known by the LMS's id until an HR or identity integration links more.</summary>
    public static string LearnerIdFor(string lmsExternalId) => $"lms:{lmsExternalId}";
}
