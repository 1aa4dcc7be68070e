using CredentialFunctions.Application.Issuance;
using CredentialFunctions.Application.Ports;
using CredentialFunctions.Domain;
using CredentialFunctions.Domain.Credentials;
using CredentialFunctions.Domain.Programs;
using CredentialFunctions.Domain.Retention;
using Microsoft.Extensions.Logging;

namespace CredentialFunctions.Application.Retention;

/// <summary>What one sweep did: records it judged, purged, left for a legal hold, and could not handle (each logged by id).</summary>
public sealed record RetentionReport(int Examined, int Purged, int Held, int Failed);

/// <summary>
/// The daily retention sweep (spec C14). For each program whose current version sets a policy, it
/// reads the credentials that may be past it (an indexed query, page by page) and purges each one the
/// policy finds due and no legal hold stops: first the purge log's entry (create-only), then what
/// holds the learner's data beside the record (the completion receipts that name it, the holding),
/// the record last. The entry is the decision: once it is written the purge is finished by whichever
/// run comes next, even if the record changed or a hold was placed since, so a crash between the
/// writes leaves nothing half-purged for long, and never a log that lies. The record goes last
/// because the next run finds the unfinished purge through it.
/// </summary>
public sealed class RetentionPurge(
    IRetentionRecords records, ICredentialStore credentials, IReceiptStore receipts, IHoldingStore holdings, IPurgeLog log, LegalHolds holds, TimeProvider clock,
    ILogger<RetentionPurge> logger)
{
    public const int PageSize = 100;

    /// <summary>Bounds one run (about eight store calls each), well inside a function's time limit; the next day's run carries on.</summary>
    public const int MostPurgesPerRun = 5_000;

    private const int MaxAttempts = 10;

    private enum Outcome { Retained, Held, Purged }

    public async Task<RetentionReport> RunAsync(CancellationToken cancellationToken)
    {
        var (examined, purged, held, failed) = (0, 0, 0, 0);
        var now = clock.GetUtcNow();
        foreach (var program in await records.ProgramsWithRetentionAsync(cancellationToken))
        {
            var policy = program.Definition.Retention!;
            // Calendar years make the cutoff a day loose around 29 February: the query may return a record a day early, and the policy decides.
            var endedBy = now.AddYears(-policy.Years).AddDays(1);
            string? continuation = null;
            do
            {
                var page = await records.EndedByAsync(program.ProgramId, policy.After, endedBy, continuation, PageSize, cancellationToken);
                foreach (var unreadable in page.Unreadable)
                {
                    failed++;
                    logger.LogError("Retention could not read credential {Id}: {Reason}", unreadable.Id, unreadable.Reason);
                }
                foreach (var candidate in page.Items)
                {
                    examined++;
                    try
                    {
                        switch (await PurgeIfDueAsync(candidate.CertificateId, program, now, cancellationToken))
                        {
                            case Outcome.Purged: purged++; break;
                            case Outcome.Held: held++; break;
                        }
                    }
                    catch (Exception e) when (!cancellationToken.IsCancellationRequested)
                    {
                        failed++;
                        logger.LogError(e, "Retention could not purge credential {Id}", candidate.CertificateId);
                    }
                    if (purged >= MostPurgesPerRun) return Report();
                }
                continuation = page.ContinuationToken;
            } while (continuation is not null);
        }
        return Report();

        RetentionReport Report()
        {
            logger.LogInformation("Retention examined {Examined} credentials: purged {Purged}, held {Held}, failed {Failed}", examined, purged, held, failed);
            return new RetentionReport(examined, purged, held, failed);
        }
    }

    private async Task<Outcome> PurgeIfDueAsync(string certificateId, CertificationProgram program, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (await credentials.GetAsync(certificateId, cancellationToken) is not { Value: var credential }) return Outcome.Retained;
        // A run that died after deciding: its entry stands, so the purge is finished as it decided.
        var entry = await log.GetAsync(certificateId, cancellationToken);
        if (entry is null)
        {
            var policy = program.Definition.Retention!;
            var verdict = policy.Judge(credential, now);
            if (!verdict.IsDue) return Outcome.Retained;
            if (await holds.HoldAsync(credential, cancellationToken)) return Outcome.Held;
            entry = PurgeLogEntry.For(credential, program.Version, policy, verdict, now);
            // False when a run beside this one wrote it first: the same decision, finished the same way.
            await log.TryAppendAsync(entry, cancellationToken);
        }
        await ForgetReceiptsAsync(certificateId, entry.PurgedAt, cancellationToken);
        await ReleaseHoldingAsync(credential, cancellationToken);
        await RemoveAsync(certificateId, cancellationToken);
        return Outcome.Purged;
    }

    /// <summary>
    /// The completion receipts that name the credential hold the learner as the LMS or a run sent
    /// them. An LMS's event (or an LRS's statement) may be delivered again, years on, and its receipt
    /// is what stops that delivery from issuing again: it stays, stripped of the learner
    /// (<see cref="CompletionReceipt.Removed"/>), in either mode. A bulk run's receipt is deleted, as
    /// its run is long over and its event id is made from a hash of the learner's LMS id; so is an
    /// application's, as the application answers a repeated result from its own attempts. A re-run
    /// finds the stripped ones and nothing left to do.
    /// </summary>
    private async Task ForgetReceiptsAsync(string certificateId, DateTimeOffset removedAt, CancellationToken cancellationToken)
    {
        foreach (var (receipt, etag) in await receipts.CompletionsNamingAsync(certificateId, cancellationToken))
        {
            var key = IssuanceService.ReceiptKey(receipt.Completion.EventId);
            if (receipt.Origin is not null) await receipts.DeleteAsync(key, etag, cancellationToken);
            else if (receipt.RemovedAt is null) await receipts.ReplaceAsync(key, receipt.Removed(removedAt), etag, cancellationToken);
        }
    }

    /// <summary>
    /// The learner's holding of the program goes with the credential it names, before the record, so
    /// that a crash between the two still finds the record (and the learner and program it names) next
    /// run; a holding that names another credential, or a pass or reinstatement on its way, is not ours.
    /// </summary>
    private async Task ReleaseHoldingAsync(Credential credential, CancellationToken cancellationToken)
    {
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            if (await holdings.GetAsync(credential.Holder.LearnerId, credential.Program.ProgramId, cancellationToken) is not { } current
                || current.Value is not { Pending: null, Reinstating: null } holding || holding.CertificateId != credential.CertificateId)
                return;
            if (await holdings.TryDeleteAsync(holding, current.ETag, cancellationToken)) return;
        }
        throw new ConcurrencyConflictException($"The holding of program '{credential.Program.ProgramId}' by {credential.Holder.LearnerId} kept changing; the next run releases it.");
    }

    /// <summary>Whatever version is there now: the decision was made and logged.</summary>
    private async Task RemoveAsync(string certificateId, CancellationToken cancellationToken)
    {
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            if (await credentials.GetAsync(certificateId, cancellationToken) is not { } current) return;
            try
            {
                await credentials.DeleteAsync(certificateId, current.ETag, cancellationToken);
                return;
            }
            catch (ConcurrencyConflictException) when (attempt < MaxAttempts)
            {
            }
        }
    }
}
