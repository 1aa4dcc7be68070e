using System.Security.Cryptography;
using System.Text;
using CredentialFunctions.Application.Cohorts;
using CredentialFunctions.Application.Ports;
using CredentialFunctions.Domain;
using CredentialFunctions.Domain.Programs;

namespace CredentialFunctions.Application.Issuance;

/// <summary>
/// Bulk issuance's work, a batch at a time. The passes of learners who never held the program are
/// issued their first credentials together (<see cref="BulkFirstIssuance"/>): the create under the
/// first credential's id is the one-credential rule, and a learner found holding it answers
/// alreadyHeld (a re-run of the cohort). Every other row (a score under the pass mark, a learner
/// whose credential ended or is open for renewal) goes the same path as an LMS pass (<see cref="IssuanceService"/>), under an event id made from the run and the learner,
/// and is decided on the learner's holding: a re-run of the cohort answers alreadyHeld, a credential
/// open for renewal is renewed. Each new credential gets its renewal window and its issuance notice.
/// </summary>
public sealed class CohortIssuance(IssuanceService issuance, BulkFirstIssuance firsts, IProgramStore programs, TimeProvider clock) : ICohortBatchHandler
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

    public async Task<IReadOnlyList<CohortRowOutcome>> HandleBatchAsync(CohortRun run, int batch, IReadOnlyList<CohortRow> rows,
        Func<CohortRow, CancellationToken, Task<CohortRowOutcome>> eachRow, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var outcomes = new CohortRowOutcome?[rows.Count];
        // An unknown or practice program, and a row that does not check, are each row's own failure, which the row path reports.
        if (await programs.GetCurrentAsync(run.ProgramId, cancellationToken) is { IssuesCredentials: true } program)
        {
            var passes = new List<(int Row, LmsCompletion Completion)>();
            for (var i = 0; i < rows.Count; i++)
            {
                try
                {
                    var completion = CompletionOf(run, rows[i]).Validated(now);
                    if (program.Assess(completion.Score) == AssessmentOutcome.Passed) passes.Add((i, completion));
                }
                catch (ValidationFailedException)
                {
                }
            }
            var done = await firsts.IssueAsync(run, batch, program, OriginOf(run), [.. passes.Select(p => p.Completion)], cancellationToken);
            for (var k = 0; k < passes.Count; k++) outcomes[passes[k].Row] = done[k];
        }
        var rest = Enumerable.Range(0, rows.Count).Where(i => outcomes[i] is null).ToList();
        var handled = await Concurrently.EachAsync(rest, CohortBatchRunner.RowParallelism, i => eachRow(rows[i], cancellationToken), cancellationToken);
        for (var k = 0; k < rest.Count; k++) outcomes[rest[k]] = handled[k];
        return [.. outcomes.Select(o => o!)];
    }

    public async Task<CohortRowOutcome> HandleAsync(CohortRun run, CohortRow row, CancellationToken cancellationToken)
    {
        var (result, _) = await issuance.RecordCompletionAsync(CompletionOf(run, row), OriginOf(run), cancellationToken);
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

    /// <summary>Who and what the audit trail of each credential the run issues or renews names.</summary>
    private static CompletionOrigin OriginOf(CohortRun run) => new(run.RequestedBy, $"Bulk issuance run {run.RunId} ({run.Source})");

    private static LmsCompletion CompletionOf(CohortRun run, CohortRow row)
        => new(EventIdOf(run.RunId, row.ExternalId), new LmsLearner(row.ExternalId, row.FullLegalName, row.Email), run.ProgramId, row.Score, row.CompletedAt, row.Team, row.Cohort, row.JobSite);
}
