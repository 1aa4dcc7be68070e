using CredentialFunctions.Application.Ports;
using CredentialFunctions.Domain.Credentials;
using CredentialFunctions.Domain.Programs;
using Microsoft.Extensions.Logging;

namespace CredentialFunctions.Application.Issuance;

/// <summary>
/// Turns an LMS completion into a credential, exactly once per LMS event id. The receipt (keyed by
/// event id) is written first and decides the outcome and the certificate id; the credential is
/// then created from the receipt, so a duplicate or a retry after a crash converges on the same
/// credential instead of issuing a second one.
/// </summary>
public sealed class IssuanceService(
    IProgramStore programs, ICredentialStore credentials, IReceiptStore receipts, IIdSource ids, TimeProvider clock,
    ILogger<IssuanceService> logger)
{
    public const string LmsIntegration = "lms";

    public async Task<(CompletionResult Result, bool FirstDelivery)> RecordLmsCompletionAsync(LmsCompletion completion, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        completion.Validate(now);
        var key = ReceiptKey(completion.EventId);

        if (await receipts.GetAsync<CompletionReceipt>(key, cancellationToken) is { } earlier)
            return (await CompleteAsync(earlier, cancellationToken), false);

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
            return (await CompleteAsync(winner, cancellationToken), false);
        }
        return (await CompleteAsync(receipt, cancellationToken), true);
    }

    public static string ReceiptKey(string eventId) => $"{LmsIntegration}:{eventId}";

    /// <summary>Makes sure the credential a receipt promises exists; harmless when it already does.</summary>
    private async Task<CompletionResult> CompleteAsync(CompletionReceipt receipt, CancellationToken cancellationToken)
    {
        if (receipt.CertificateId is { } certificateId && await credentials.GetAsync(certificateId, cancellationToken) is null)
        {
            var c = receipt.Completion;
            var program = await programs.GetVersionAsync(c.ProgramId, receipt.ProgramVersion, cancellationToken)
                ?? throw new InvalidOperationException($"Program {c.ProgramId}@{receipt.ProgramVersion} of receipt {c.EventId} is missing.");
            CertificateId.TryParse(certificateId, out var id);
            var issued = Credential.Issue(
                id,
                new LearnerIdentity(LearnerIdFor(c.Learner.ExternalId), c.Learner.FullLegalName.Trim(), c.Learner.Email.Trim(), c.Learner.ExternalId, c.Learner.HrId),
                program, new Completion(c.CompletedAt, c.Score), new Placement(c.Team, c.Cohort, c.JobSite),
                receipt.ReceivedAt, $"integration:{LmsIntegration}", $"LMS completion event {c.EventId}");
            if (await credentials.TryCreateAsync(issued.Credential, cancellationToken))
                logger.LogInformation("Issued credential {CertificateId} for program {ProgramId}@{Version}", certificateId, c.ProgramId, receipt.ProgramVersion);
        }
        return CompletionResult.From(receipt);
    }

    /// <summary>Learners are known by the LMS's id until an HR or identity integration links more.</summary>
    public static string LearnerIdFor(string lmsExternalId) => $"lms:{lmsExternalId}";
}
