using CredentialFunctions.Application.Access;
using CredentialFunctions.Application.Cohorts;
using CredentialFunctions.Application.Issuance;
using CredentialFunctions.Application.Ports;
using CredentialFunctions.Domain;
using CredentialFunctions.Domain.Programs;

namespace CredentialFunctions.Application.Imports;

/// <summary>What would become of one row.</summary>
public enum ImportRowOutcome
{
    /// <summary>The row breaks no rule and the learner holds no credential of the program.</summary>
    WouldImport,
    /// <summary>Not in a dry run's answer: what the import of such a row did.</summary>
    Imported,
    /// <summary>This row of this file (by its SHA-256) was imported before: nothing new.</summary>
    AlreadyImported,
    /// <summary>The learner already holds a credential of the program (issued here, or imported from another file): one per learner and program.</summary>
    AlreadyHeld,
    /// <summary>The row breaks a rule; <see cref="ImportRowResult.Reasons"/> says each, by column.</summary>
    Refused,
}

public sealed record ImportRowResult(int Line, string? LearnerExternalId, ImportRowOutcome Outcome, string? CertificateId, IReadOnlyDictionary<string, string[]>? Reasons);

/// <summary>A dry run's answer: every row's outcome, and how many of each.</summary>
public sealed record ImportReport(
    string ProgramId, string FileName, string FileSha256, int Rows, int WouldImport, int AlreadyImported, int AlreadyHeld, int Refused,
    IReadOnlyList<ImportRowResult> Results)
{
    public static ImportReport Of(string programId, ImportFile file, IReadOnlyList<ImportRowResult> results)
    {
        int Count(ImportRowOutcome outcome) => results.Count(r => r.Outcome == outcome);
        return new(programId, file.FileName, file.Sha256, results.Count, Count(ImportRowOutcome.WouldImport),
            Count(ImportRowOutcome.AlreadyImported), Count(ImportRowOutcome.AlreadyHeld), Count(ImportRowOutcome.Refused), results);
    }
}

/// <summary>
/// Brings a certification body's existing credentials over from its previous records. A dry run
/// answers at once what each row would become, reading and writing nothing else; an import checks
/// every row against the program first and refuses the file, naming each broken rule of each row,
/// unless it breaks none, then starts a cohort run of kind <see cref="CohortRunKind.Import"/>, whose
/// batches import the rows (<see cref="CohortImport"/>).
/// </summary>
public sealed class CredentialImport(IProgramStore programs, ICredentialStore credentials, FirstCredentials firsts, CohortIntake intake, TimeProvider clock)
{
    public async Task<ImportReport> DryRunAsync(string programId, ImportFile file, CancellationToken cancellationToken)
    {
        var program = await ProgramAsync(programId, cancellationToken);
        var results = new List<ImportRowResult>(file.Rows.Count);
        foreach (var (row, refusal) in Check(file, program, clock.GetUtcNow()))
            results.Add(row is null ? refusal! : await PreviewAsync(program, row, file, cancellationToken));
        return ImportReport.Of(program.ProgramId, file, results);
    }

    public async Task<CohortRun> StartAsync(string programId, ImportFile file, Caller importer, CancellationToken cancellationToken)
    {
        var program = await ProgramAsync(programId, cancellationToken);
        var rows = new List<CohortRow>(file.Rows.Count);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var refused = 0;
        foreach (var (row, refusal) in Check(file, program, clock.GetUtcNow()))
        {
            if (row is not null)
            {
                var completion = row.Record.Completion;
                rows.Add(new CohortRow(rows.Count + 1, row.LearnerExternalId, row.FullLegalName, row.Email, completion.CompletedAt, completion.Score,
                    row.Placement.Team, row.Placement.Cohort, row.Placement.JobSite, new CohortRowImport(row, file.FileName, file.Sha256)));
            }
            else if (++refused <= CohortIntake.MaxRowsReported)
            {
                foreach (var (field, messages) in refusal!.Reasons!) errors[$"lines[{refusal.Line}].{field}"] = messages;
            }
        }
        if (refused > CohortIntake.MaxRowsReported) errors["lines"] = [$"{refused:N0} rows are refused; the first {CohortIntake.MaxRowsReported} are listed. A dry run lists them all."];
        if (errors.Count > 0) throw new ValidationFailedException(errors);
        return await intake.StartAsync(program.ProgramId, CohortRunKind.Import, rows, $"CSV file {file.FileName} (SHA-256 {file.Sha256})", importer, cancellationToken);
    }

    private async Task<CertificationProgram> ProgramAsync(string programId, CancellationToken cancellationToken)
        => await programs.GetCurrentAsync(programId, cancellationToken) ?? throw new NotFoundException("Program", programId);

    /// <summary>Each row's rules, and the file's own: a learner named twice imports once, from the first row.</summary>
    private static IEnumerable<(ImportedRow? Row, ImportRowResult? Refusal)> Check(ImportFile file, CertificationProgram program, DateTimeOffset now)
    {
        var firstLineOf = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (row, unparsed) in file.Rows)
        {
            var errors = new ValidationErrors();
            foreach (var (field, messages) in unparsed)
                foreach (var message in messages) errors.Add(field, message);
            var valid = row.Checked(program, now, errors);
            if (row.LearnerExternalId?.Trim() is { Length: > 0 } learner && !firstLineOf.TryAdd(learner, row.Line))
            {
                errors.Add("learnerExternalId", $"Line {firstLineOf[learner]} already imports this learner's credential of the program.");
                valid = null;
            }
            yield return valid is not null
                ? (valid, null)
                : (null, new ImportRowResult(row.Line, row.LearnerExternalId, ImportRowOutcome.Refused, null, errors.ByField()));
        }
    }

    /// <summary>What <see cref="CohortImport.ImportAsync"/> would do with the row, read and not written.</summary>
    private async Task<ImportRowResult> PreviewAsync(CertificationProgram program, ImportedRow row, ImportFile file, CancellationToken cancellationToken)
    {
        ImportRowResult Result(ImportRowOutcome outcome, string? certificateId = null) => new(row.Line, row.LearnerExternalId, outcome, certificateId, null);
        if (await firsts.PeekAsync(IssuanceService.LearnerIdFor(row.LearnerExternalId), program.ProgramId, cancellationToken) is not { } holding)
            return Result(ImportRowOutcome.WouldImport);
        if (holding.Pending is not null || holding.Reinstating is not null)
            return Result(ImportRowOutcome.AlreadyHeld, holding.CertificateId);
        return (await credentials.GetAsync(holding.CertificateId, cancellationToken))?.Value switch
        {
            null or { HasEnded: true } => Result(ImportRowOutcome.WouldImport),
            var held when CohortImport.IsFrom(held, file.Sha256, row.Line) => Result(ImportRowOutcome.AlreadyImported, held.CertificateId),
            var held => Result(ImportRowOutcome.AlreadyHeld, held.CertificateId),
        };
    }
}
