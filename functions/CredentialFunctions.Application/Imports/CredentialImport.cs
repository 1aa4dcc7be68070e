using CredentialFunctions.Application.Access;
using CredentialFunctions.Application.Events;
using CredentialFunctions.Application.Issuance;
using CredentialFunctions.Application.Ports;
using CredentialFunctions.Application.Renewal;
using CredentialFunctions.Application.StatusLists;
using CredentialFunctions.Domain;
using CredentialFunctions.Domain.Credentials;
using CredentialFunctions.Domain.Programs;
using Microsoft.Extensions.Logging;

namespace CredentialFunctions.Application.Imports;

/// <summary>What became of one row, or would in a dry run.</summary>
public enum ImportRowOutcome
{
    /// <summary>Dry run: the row breaks no rule and the learner holds no credential of the program.</summary>
    WouldImport,
    Imported,
    /// <summary>This row of this file (by its SHA-256) was imported before: nothing new.</summary>
    AlreadyImported,
    /// <summary>The learner already holds a credential of the program (issued here, or imported from another file): one per learner and program.</summary>
    AlreadyHeld,
    /// <summary>The row breaks a rule; <see cref="ImportRowResult.Reasons"/> says each, by column.</summary>
    Refused,
}

public sealed record ImportRowResult(int Line, string? LearnerExternalId, ImportRowOutcome Outcome, string? CertificateId, IReadOnlyDictionary<string, string[]>? Reasons);

/// <param name="Imported">Rows imported now, or in a dry run those that would be.</param>
public sealed record ImportReport(
    string ProgramId, string FileName, string FileSha256, bool DryRun, int Rows, int Imported, int AlreadyImported, int AlreadyHeld, int Refused,
    IReadOnlyList<ImportRowResult> Results)
{
    public static ImportReport Of(string programId, ImportFile file, bool dryRun, IReadOnlyList<ImportRowResult> results)
    {
        int Count(params ImportRowOutcome[] outcomes) => results.Count(r => outcomes.Contains(r.Outcome));
        return new(programId, file.FileName, file.Sha256, dryRun, results.Count, Count(ImportRowOutcome.Imported, ImportRowOutcome.WouldImport),
            Count(ImportRowOutcome.AlreadyImported), Count(ImportRowOutcome.AlreadyHeld), Count(ImportRowOutcome.Refused), results);
    }
}

/// <summary>
/// Brings a certification body's existing credentials over from its previous records, one row at a
/// time, through the learner's <see cref="Holding"/> of the program like every issue: a learner who
/// holds the program's credential is reported, never given a second one, and a file imported again
/// imports nothing new (each row is recognised by the file's SHA-256 and its line). The holding is
/// claimed first, then the credential written, its event published and its renewal window started;
/// a crash between them is finished by importing the same file again.
/// </summary>
public sealed class CredentialImport(
    IProgramStore programs, ICredentialStore credentials, IHoldingStore holdings, IRenewalWindows windows, IIdSource ids,
    EventPublisher<Credential> events, StatusListPublisher statusLists, TimeProvider clock, ILogger<CredentialImport> logger)
{
    /// <summary>Rows one request imports, each with a few writes, inside one function invocation's time.</summary>
    public const int MaxRows = 1000;

    private const int MaxClaimAttempts = 10;

    /// <summary>Every row's outcome; with <paramref name="dryRun"/>, what each would be, and nothing written.</summary>
    public async Task<ImportReport> ImportAsync(string programId, ImportFile file, Caller importer, bool dryRun, CancellationToken cancellationToken)
    {
        var program = await programs.GetCurrentAsync(programId, cancellationToken) ?? throw new NotFoundException("Program", programId);
        var now = clock.GetUtcNow();
        var results = new List<ImportRowResult>(file.Rows.Count);
        foreach (var (row, refusal) in Check(file, program, now))
        {
            if (row is null)
                results.Add(refusal!);
            else
                results.Add(dryRun
                    ? await PreviewAsync(program, row, file, cancellationToken)
                    : await ImportRowAsync(program, row, new ImportOrigin(file.FileName, file.Sha256, row.Line, now, importer.AuditName), cancellationToken));
        }
        return ImportReport.Of(program.ProgramId, file, dryRun, results);
    }

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

    private async Task<ImportRowResult> PreviewAsync(CertificationProgram program, ImportedRow row, ImportFile file, CancellationToken cancellationToken)
    {
        var learnerId = IssuanceService.LearnerIdFor(row.LearnerExternalId);
        if (await holdings.GetAsync(learnerId, program.ProgramId, cancellationToken) is not { Value: var holding })
            return Result(row, ImportRowOutcome.WouldImport);
        if (holding.Pending is not null || holding.Reinstating is not null)
            return Result(row, ImportRowOutcome.AlreadyHeld, holding.CertificateId);
        return (await credentials.GetAsync(holding.CertificateId, cancellationToken))?.Value switch
        {
            null or { HasEnded: true } => Result(row, ImportRowOutcome.WouldImport),
            var held when IsFrom(held, file.Sha256, row.Line) => Result(row, ImportRowOutcome.AlreadyImported, held.CertificateId),
            var held => Result(row, ImportRowOutcome.AlreadyHeld, held.CertificateId),
        };
    }

    /// <summary>
    /// Claims the learner's holding of the program for a new credential, as an LMS pass does: when
    /// there is none, or its credential has ended or was never written (a claim that died). A holding
    /// with a pass or a reinstatement pending is held.
    /// </summary>
    private async Task<ImportRowResult> ImportRowAsync(CertificationProgram program, ImportedRow row, ImportOrigin origin, CancellationToken cancellationToken)
    {
        var learnerId = IssuanceService.LearnerIdFor(row.LearnerExternalId);
        for (var attempt = 1; attempt <= MaxClaimAttempts; attempt++)
        {
            var current = await holdings.GetAsync(learnerId, program.ProgramId, cancellationToken);
            if (current is null)
            {
                var id = ids.NewCertificateId();
                if (await holdings.TryCreateAsync(new Holding(learnerId, program.ProgramId, id.Value, null), cancellationToken))
                    return await WriteAsync(program, row, id, origin, cancellationToken);
                continue;
            }
            var holding = current.Value;
            if (holding.Pending is not null || holding.Reinstating is not null) return Result(row, ImportRowOutcome.AlreadyHeld, holding.CertificateId);
            var held = (await credentials.GetAsync(holding.CertificateId, cancellationToken))?.Value;
            if (held is { HasEnded: false })
            {
                if (!IsFrom(held, origin.FileSha256, row.Line)) return Result(row, ImportRowOutcome.AlreadyHeld, held.CertificateId);
                await FinishAsync(held, cancellationToken);
                return Result(row, ImportRowOutcome.AlreadyImported, held.CertificateId);
            }
            var claimed = ids.NewCertificateId();
            if (await holdings.TryReplaceAsync(holding with { CertificateId = claimed.Value }, current.ETag, cancellationToken))
                return await WriteAsync(program, row, claimed, origin, cancellationToken);
        }
        throw new ConcurrencyConflictException($"The holding of program '{program.ProgramId}' by {learnerId} kept changing; import the file again.");
    }

    private async Task<ImportRowResult> WriteAsync(CertificationProgram program, ImportedRow row, CertificateId id, ImportOrigin origin, CancellationToken cancellationToken)
    {
        var holder = new LearnerIdentity(IssuanceService.LearnerIdFor(row.LearnerExternalId), row.FullLegalName, row.Email, row.LearnerExternalId, row.HrId);
        var imported = Credential.Import(id, holder, program, row.Record, row.Placement, origin).Credential;
        if (await credentials.TryCreateAsync(imported, cancellationToken))
            logger.LogInformation("Imported credential {CertificateId} for program {ProgramId} from line {Line} of {FileSha256}", id.Value, program.ProgramId, row.Line, origin.FileSha256);
        await FinishAsync(imported, cancellationToken);
        return Result(row, ImportRowOutcome.Imported, id.Value);
    }

    /// <summary>What follows the credential's write, each step harmless when already done.</summary>
    private async Task FinishAsync(Credential credential, CancellationToken cancellationToken)
    {
        await events.TryPublishAsync(credential.CertificateId, credential, cancellationToken);
        if (credential.ExpiresAt is not null) await windows.StartAsync(credential.CertificateId, cancellationToken);
        if (credential.StatusLists is null) await statusLists.AssignAsync(credential.CertificateId, cancellationToken);
    }

    private static bool IsFrom(Credential credential, string fileSha256, int line)
        => credential.ImportedFrom is { } origin && origin.FileSha256 == fileSha256 && origin.Line == line;

    private static ImportRowResult Result(ImportedRow row, ImportRowOutcome outcome, string? certificateId = null)
        => new(row.Line, row.LearnerExternalId, outcome, certificateId, null);
}
