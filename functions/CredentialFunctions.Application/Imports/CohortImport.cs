using CredentialFunctions.Application.Cohorts;
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

/// <summary>An import run's row: the row as checked against the program, and the file it came from.</summary>
public sealed record CohortRowImport(ImportedRow Row, string FileName, string FileSha256);

/// <summary>
/// An import run's work per row: the credential brought over through the learner's <see cref="Holding"/>
/// of the program, like every issue, so a learner who holds the program's credential is never given
/// a second one, and a row imported before (the same file by its SHA-256, the same line) changes
/// nothing. The holding is claimed first, then the credential written, its event published and its
/// renewal window started; a retried batch, or the same file imported again, finishes what a crash
/// left undone.
/// </summary>
public sealed class CohortImport(
    IProgramStore programs, ICredentialStore credentials, IHoldingStore holdings, FirstCredentials firsts, IRenewalWindows windows, IIdSource ids,
    EventPublisher<Credential> events, StatusListPublisher statusLists, ILogger<CohortImport> logger) : ICohortRowHandler
{
    private const int MaxClaimAttempts = 10;

    public CohortRunKind Kind => CohortRunKind.Import;

    /// <summary>The rows of an import were checked against the program, every rule of each, before the run was started (<see cref="CredentialImport"/>).</summary>
    public CohortRow Validated(CohortRun run, CohortRow row, DateTimeOffset now)
        => row.Import is null ? throw ValidationFailedException.For("import", "An import run's row carries its record.") : row;

    public async Task<CohortRowOutcome> HandleAsync(CohortRun run, CohortRow row, CancellationToken cancellationToken)
    {
        var import = row.Import ?? throw ValidationFailedException.For("import", "An import run's row carries its record.");
        var program = await programs.GetCurrentAsync(run.ProgramId, cancellationToken) ?? throw new NotFoundException("Program", run.ProgramId);
        var (outcome, certificateId) = await ImportAsync(program, import.Row, new ImportOrigin(import.FileName, import.FileSha256, import.Row.Line, run.RequestedAt, run.RequestedBy), cancellationToken);
        // A row imported before is, to the run, a learner who already holds the program's credential.
        return new CohortRowOutcome(outcome == ImportRowOutcome.Imported ? CohortRowStatus.Issued : CohortRowStatus.AlreadyHeld, certificateId);
    }

    /// <summary>
    /// Claims the learner's holding of the program for a new credential, as an LMS pass does: when
    /// there is none, or its credential has ended or was never written (a claim that died). A holding
    /// with a pass or a reinstatement pending is held.
    /// </summary>
    public async Task<(ImportRowOutcome Outcome, string CertificateId)> ImportAsync(CertificationProgram program, ImportedRow row, ImportOrigin origin, CancellationToken cancellationToken)
    {
        var learnerId = IssuanceService.LearnerIdFor(row.LearnerExternalId);
        for (var attempt = 1; attempt <= MaxClaimAttempts; attempt++)
        {
            var current = await firsts.HoldingAsync(learnerId, program.ProgramId, cancellationToken);
            if (current is null)
            {
                var id = await firsts.NewIdAsync(program.ProgramId, learnerId, cancellationToken);
                if (await holdings.TryCreateAsync(new Holding(learnerId, program.ProgramId, id.Value, null), cancellationToken))
                    return (ImportRowOutcome.Imported, await WriteAsync(program, row, id, origin, cancellationToken));
                continue;
            }
            var holding = current.Value;
            if (holding.Pending is not null || holding.Reinstating is not null) return (ImportRowOutcome.AlreadyHeld, holding.CertificateId);
            var held = (await credentials.GetAsync(holding.CertificateId, cancellationToken))?.Value;
            if (held is { HasEnded: false })
            {
                if (!IsFrom(held, origin.FileSha256, row.Line)) return (ImportRowOutcome.AlreadyHeld, held.CertificateId);
                await FinishAsync(held, cancellationToken);
                return (ImportRowOutcome.AlreadyImported, held.CertificateId);
            }
            var claimed = ids.NewCertificateId();
            if (await holdings.TryReplaceAsync(holding with { CertificateId = claimed.Value }, current.ETag, cancellationToken))
                return (ImportRowOutcome.Imported, await WriteAsync(program, row, claimed, origin, cancellationToken));
        }
        throw new ConcurrencyConflictException($"The holding of program '{program.ProgramId}' by {learnerId} kept changing; import the file again.");
    }

    /// <summary>Whether the credential is the one imported from that line of that file.</summary>
    public static bool IsFrom(Credential credential, string fileSha256, int line)
        => credential.ImportedFrom is { } origin && origin.FileSha256 == fileSha256 && origin.Line == line;

    private async Task<string> WriteAsync(CertificationProgram program, ImportedRow row, CertificateId id, ImportOrigin origin, CancellationToken cancellationToken)
    {
        var holder = new LearnerIdentity(IssuanceService.LearnerIdFor(row.LearnerExternalId), row.FullLegalName, row.Email, row.LearnerExternalId, row.HrId);
        var imported = Credential.Import(id, holder, program, row.Record, row.Placement, origin).Credential;
        if (await credentials.TryCreateAsync(imported, cancellationToken))
            logger.LogInformation("Imported credential {CertificateId} for program {ProgramId} from line {Line} of {FileSha256}", id.Value, program.ProgramId, row.Line, origin.FileSha256);
        await FinishAsync(imported, cancellationToken);
        return id.Value;
    }

    /// <summary>What follows the credential's write, each step harmless when already done.</summary>
    private async Task FinishAsync(Credential credential, CancellationToken cancellationToken)
    {
        await events.TryPublishAsync(credential.CertificateId, credential, cancellationToken);
        if (credential.ExpiresAt is not null) await windows.StartAsync(credential.CertificateId, cancellationToken);
        if (credential.StatusLists is null) await statusLists.AssignAsync(credential.CertificateId, cancellationToken);
    }
}
