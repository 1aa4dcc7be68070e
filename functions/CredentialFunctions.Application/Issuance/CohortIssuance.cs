using System.Security.Cryptography;
using System.Text;
using CredentialFunctions.Application.Cohorts;
using CredentialFunctions.Domain;
using CredentialFunctions.Domain.Programs;

namespace CredentialFunctions.Application.Issuance;

/// <summary>
/// Bulk issuance's work per learner: the learner's completion goes through the same path as an LMS
/// pass (<see cref="IssuanceService"/>), under an event id made from the run and the learner. So the
/// holding keeps one credential per learner and program (a re-run of the cohort, or an LMS pass that
/// raced it, answers alreadyHeld), a retried batch finds its receipts and repeats nothing, and each
/// new credential gets its renewal window and its issuance notice.
/// </summary>
public sealed class CohortIssuance(IssuanceService issuance) : ICohortRowHandler
{
    public CohortRunKind Kind => CohortRunKind.Issuance;

    /// <summary>The completion's own rules, with the names of a cohort row's fields.</summary>
    public CohortRow Validated(CohortRun run, CohortRow row, DateTimeOffset now)
    {
        try
        {
            var c = CompletionOf(run, row).Validated(now);
            return row with { ExternalId = c.Learner.ExternalId, FullLegalName = c.Learner.FullLegalName, Email = c.Learner.Email, Team = c.Team, Cohort = c.Cohort, JobSite = c.JobSite };
        }
        catch (ValidationFailedException v)
        {
            throw new ValidationFailedException(v.Errors.ToDictionary(e => e.Key.StartsWith("learner.", StringComparison.Ordinal) ? e.Key["learner.".Length..] : e.Key, e => e.Value));
        }
    }

    public async Task<CohortRowOutcome> HandleAsync(CohortRun run, CohortRow row, CancellationToken cancellationToken)
    {
        var (result, _) = await issuance.RecordLmsCompletionAsync(CompletionOf(run, row), cancellationToken);
        return result switch
        {
            { Outcome: AssessmentOutcome.Failed } => CohortRowOutcome.Failure($"The score {row.Score} is below the program's pass threshold (program version {result.ProgramVersion})."),
            { Outcome: AssessmentOutcome.Recorded } => CohortRowOutcome.Failure($"Program '{run.ProgramId}' is a practice or benchmark program: its results never issue a credential."),
            { Action: CompletionAction.Issued } => new CohortRowOutcome(CohortRowStatus.Issued, result.CertificateId),
            { Action: CompletionAction.Renewed } => new CohortRowOutcome(CohortRowStatus.Renewed, result.CertificateId),
            _ => new CohortRowOutcome(CohortRowStatus.AlreadyHeld, result.CertificateId),
        };
    }

    /// <summary>
    /// The same for every handling of the row in this run, so a retry finds its receipt; another run
    /// of the same cohort has other event ids and meets the holding instead. The learner's id is
    /// hashed: it may hold characters a store key cannot.
    /// </summary>
    public static string EventIdOf(string runId, string externalId)
        => $"{runId}-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(externalId)))[..32]}";

    private static LmsCompletion CompletionOf(CohortRun run, CohortRow row)
        => new(EventIdOf(run.RunId, row.ExternalId), new LmsLearner(row.ExternalId, row.FullLegalName, row.Email), run.ProgramId, row.Score, row.CompletedAt, row.Team, row.Cohort, row.JobSite);
}
