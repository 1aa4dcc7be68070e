using CredentialFunctions.Application.Ports;
using CredentialFunctions.Application.Renewal;
using Microsoft.Extensions.Logging;

namespace CredentialFunctions.Application.Issuance;

/// <summary>What an issuance reconciliation found pending (passes and reinstatements) and finished.</summary>
public sealed record IssuanceReconciliationReport(int Pending, int Finished, int Failed);

/// <summary>
/// The daily safety net under issuance: a pass decided on a holding whose writes were cut short
/// (the process died, the store failed) and whose event the LMS never delivers again is finished
/// here, exactly as that retry would finish it; so is a reinstatement that took the holding and
/// never reached the credential, and a bulk issuance batch's ledger whose batch died before its
/// events were sent and its windows started (<see cref="IssuanceLedger"/>). It reads only holdings
/// still pending and ledgers still open, so its cost follows the failures, not the number of credentials.
/// </summary>
/// <remarks>The report counts an open ledger as one pending change, however many credentials it holds.</remarks>
public sealed class IssuanceReconciliation(
    IHoldingStore holdings, IssuanceService issuance, HoldingReinstatement reinstatement, IIssuanceLedgerStore ledgers, IssuanceLedgerSettlement settlement, IRenewalWindows windows,
    TimeProvider clock, ILogger<IssuanceReconciliation> logger)
{
    public const int PageSize = 100;

    /// <summary>A request writes its pass within seconds; one pending this long belongs to a request that ended.</summary>
    public static readonly TimeSpan Abandoned = TimeSpan.FromMinutes(15);

    public async Task<IssuanceReconciliationReport> RunAsync(CancellationToken cancellationToken)
    {
        // Finishing a pass takes it out of the query's results, so every page is read before anything changes.
        var before = clock.GetUtcNow() - Abandoned;
        var pending = new List<Holding>();
        string? continuation = null;
        do
        {
            var page = await holdings.PendingDecidedBeforeAsync(before, continuation, PageSize, cancellationToken);
            pending.AddRange(page.Items);
            continuation = page.ContinuationToken;
        } while (continuation is not null);

        var open = new List<IssuanceLedger>();
        continuation = null;
        do
        {
            var page = await ledgers.OpenedBeforeAsync(before, continuation, PageSize, cancellationToken);
            open.AddRange(page.Items);
            continuation = page.ContinuationToken;
        } while (continuation is not null);

        var (finished, failed) = (0, 0);
        foreach (var ledger in open)
        {
            try
            {
                await settlement.FinishAsync(ledger, cancellationToken);
                finished++;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                failed++;
                logger.LogError(e, "Ledger of bulk issuance run {RunId} batch {Batch} could not be finished", ledger.RunId, ledger.Batch);
            }
        }
        foreach (var holding in pending)
        {
            try
            {
                if (holding.Pending is { } pass) await issuance.FinishPendingAsync(pass, cancellationToken);
                else
                {
                    await reinstatement.FinishPendingAsync(holding, cancellationToken);
                    await windows.StartAsync(holding.CertificateId, cancellationToken);
                }
                finished++;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // One change that cannot be finished today (its program version gone, the window host down) must not keep the others waiting.
                failed++;
                logger.LogError(e, "Pending change to credential {CertificateId} of program {ProgramId} could not be finished", holding.CertificateId, holding.ProgramId);
            }
        }
        logger.LogInformation("Issuance reconciliation found {Pending} pending passes and reinstatements and {Ledgers} open bulk issuance ledgers, finished {Finished}, failed {Failed}", pending.Count, open.Count, finished, failed);
        return new IssuanceReconciliationReport(pending.Count + open.Count, finished, failed);
    }
}
