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
    IProgramStore programs, ICredentialStore credentials, IReceiptStore receipts, IIdSource ids, TimeProvider clock,
    ILogger<IssuanceService> logger)
{
    public const string LmsIntegration = "lms";

    public async Task<(CompletionResult Result, bool FirstDelivery)> RecordLmsCompletionAsync(LmsCompletion completion, IRenewalWindows windows, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        completion.Validate(now);
        var key = ReceiptKey(completion.EventId);

        if (await receipts.GetAsync<CompletionReceipt>(key, cancellationToken) is { } earlier)
            return (await CompleteAsync(earlier, windows, cancellationToken), false);

        var program = await programs.GetCurrentAsync(completion.ProgramId, cancellationToken)
            ?? throw new UnknownReferenceException("programId", $"There is no program '{completion.ProgramId}'. Create it first, or check the id the LMS sends.");
        var outcome = program.Assess(completion.Score);
        var receipt = new CompletionReceipt(completion, program.Version, outcome,
            outcome == AssessmentOutcome.Passed ? ids.NewCertificateId().Value : null, now);

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
        if (receipt.CertificateId is { } certificateId)
        {
            var credential = (await credentials.GetAsync(certificateId, cancellationToken))?.Value ?? await IssueAsync(receipt, certificateId, cancellationToken);
            if (credential.ExpiresAt is not null) await windows.StartAsync(certificateId, cancellationToken);
        }
        return CompletionResult.From(receipt);
    }

    private async Task<Credential> IssueAsync(CompletionReceipt receipt, string certificateId, CancellationToken cancellationToken)
    {
        var c = receipt.Completion;
        var program = await programs.GetVersionAsync(c.ProgramId, receipt.ProgramVersion, cancellationToken)
            ?? throw new InvalidOperationException($"Program {c.ProgramId}@{receipt.ProgramVersion} of receipt {c.EventId} is missing.");
        CertificateId.TryParse(certificateId, out var id);
        var issued = Credential.Issue(
            id,
            new LearnerIdentity(LearnerIdFor(c.Learner.ExternalId), c.Learner.FullLegalName.Trim(), c.Learner.Email.Trim(), c.Learner.ExternalId, c.Learner.HrId),
            program, new Completion(c.CompletedAt, c.Score), new Placement(c.Team, c.Cohort, c.JobSite),
            receipt.ReceivedAt, $"integration:{LmsIntegration}", $"LMS completion event {c.EventId}").Credential;
        if (await credentials.TryCreateAsync(issued, cancellationToken))
            logger.LogInformation("Issued credential {CertificateId} for program {ProgramId}@{Version}", certificateId, c.ProgramId, receipt.ProgramVersion);
        return issued;
    }

    /// <summary>Learners are known by the LMS's id until an HR or identity integration links more.</summary>
    public static string LearnerIdFor(string lmsExternalId) => $"lms:{lmsExternalId}";
}
