using CredentialFunctions.Application.Access;
using CredentialFunctions.Application.Ports;
using CredentialFunctions.Domain;

namespace CredentialFunctions.Application.Cohorts;

/// <summary>
/// Takes a cohort in: the whole of it is checked before anything is stored (every bad row named by
/// its number, and nothing started), then its rows are stored in batches, then its orchestration is
/// started. Rows that are well-formed but refused while handled (a score under the threshold, say)
/// are reported per learner in the run's status instead.
/// </summary>
public sealed class CohortIntake(IProgramStore programs, ICohortRunStore store, ICohortRunProcess process, IEnumerable<ICohortRowHandler> handlers, IIdSource ids, TimeProvider clock)
{
    public const int MaxRows = 100_000;

    /// <summary>
    /// Rows per stored batch and per activity of a bulk issuance: a batch document stays far under
    /// the store's item limit, a run's history holds one activity per batch, and a batch's first
    /// credentials share one ledger and one write per tally, so the more rows a batch has, the less
    /// each costs. An issuance row is a few hundred bytes.
    /// </summary>
    public const int BatchSize = 1000;

    /// <summary>An import row carries a whole record (its renewals, its credits): a quarter as many keep its batch document as small.</summary>
    public const int ImportBatchSize = 250;

    public static int BatchSizeOf(CohortRunKind kind) => kind == CohortRunKind.Import ? ImportBatchSize : BatchSize;

    /// <summary>Rows a refusal names at most; a cohort with more bad rows than this is a wrong file, and the count says so.</summary>
    public const int MaxRowsReported = 100;

    public async Task<CohortRun> StartAsync(string programId, CohortRunKind kind, IReadOnlyList<CohortRow> rows, string source, Caller caller, CancellationToken cancellationToken)
    {
        _ = await programs.GetCurrentAsync(programId, cancellationToken) ?? throw new NotFoundException("Program", programId);
        var handler = handlers.Single(h => h.Kind == kind);
        var now = clock.GetUtcNow();
        // The audit trail of every credential the run touches names its source, so it is text as any audit reason is.
        var sourceErrors = new ValidationErrors();
        source = PlainText.Required(sourceErrors, "source", source, 300);
        sourceErrors.ThrowIfAny();
        var run = new CohortRun(ids.NewId("run-"), programId, kind, caller.AuditName, source, now, rows.Count, BatchSizeOf(kind));
        var validated = Validated(handler, run, rows, now);
        await store.CreateAsync(run, validated, cancellationToken);
        await process.StartAsync(new CohortRunInput(run.RunId, run.Batches), cancellationToken);
        return run;
    }

    private static List<CohortRow> Validated(ICohortRowHandler handler, CohortRun run, IReadOnlyList<CohortRow> rows, DateTimeOffset now)
    {
        if (rows.Count is 0 or > MaxRows)
            throw ValidationFailedException.For("rows", $"A cohort has from 1 to {MaxRows:N0} learners; this one has {rows.Count:N0}.");
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var (validated, seen, badRows) = (new List<CohortRow>(rows.Count), new Dictionary<string, int>(StringComparer.Ordinal), 0);
        foreach (var row in rows)
        {
            var rowErrors = new Dictionary<string, string[]>(StringComparer.Ordinal);
            try
            {
                var valid = handler.Validated(run, row, now);
                // Two rows of one learner would race each other for the same holding; which one the cohort meant is the manager's call.
                if (seen.TryAdd(valid.ExternalId, row.Number)) validated.Add(valid);
                else rowErrors["externalId"] = [$"Learner '{valid.ExternalId}' is also row {seen[valid.ExternalId]}; a cohort names each learner once."];
            }
            catch (ValidationFailedException v)
            {
                foreach (var (field, messages) in v.Errors) rowErrors[field] = messages;
            }
            if (rowErrors.Count == 0) continue;
            if (++badRows > MaxRowsReported) continue;
            foreach (var (field, messages) in rowErrors) errors[$"rows[{row.Number}].{field}"] = messages;
        }
        if (badRows > MaxRowsReported) errors["rows"] = [$"{badRows:N0} rows are invalid; the first {MaxRowsReported} are listed."];
        if (errors.Count > 0) throw new ValidationFailedException(errors);
        return validated;
    }
}
