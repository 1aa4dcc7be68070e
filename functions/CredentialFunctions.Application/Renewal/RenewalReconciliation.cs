using CredentialFunctions.Application.Ports;
using CredentialFunctions.Domain.Credentials;
using CredentialFunctions.Domain.Renewal;
using Microsoft.Extensions.Logging;

namespace CredentialFunctions.Application.Renewal;

/// <summary>What a reconciliation pass looked at and repaired, and how many records it could not reconcile (each logged by id).</summary>
public sealed record ReconciliationReport(int Examined, int Started, int Woken, int Failed);

/// <summary>
/// The daily safety net under the renewal windows: after a failed start at issuance, a restore from
/// backup or a bug, every credential that still has a step to take gets a running window, and a
/// running window whose step is long overdue is woken to re-read its record. Never sends anything
/// itself, and a window it starts sends nothing already recorded as sent (the delivery keys).
/// One record that cannot be reconciled (unreadable, a schedule that throws, a Durable client error)
/// is logged and counted, and the sweep goes on to the next.
/// </summary>
public sealed class RenewalReconciliation(IRenewalWindowRecords records, IRenewalWindows windows, TimeProvider clock, ILogger<RenewalReconciliation> logger)
{
    public const int PageSize = 100;

    /// <summary>A running window takes its steps within seconds of their instant; one this late is asleep on an out-of-date plan.</summary>
    public static readonly TimeSpan Overdue = TimeSpan.FromHours(6);

    /// <summary>
    /// How long after a window's last step (the follow-up after lapse) the sweep still repairs it.
    /// Later, what it would send is news too old to help, and a record the daily sweep has failed to
    /// repair for this long (logged every day) is one for a person, not for another scan.
    /// </summary>
    public static readonly TimeSpan RepairsFor = TimeSpan.FromDays(90);

    private enum Repair { None, Started, Woken }

    public async Task<ReconciliationReport> RunAsync(CancellationToken cancellationToken)
    {
        var (examined, started, woken, failed) = (0, 0, 0, 0);
        // One horizon for the whole sweep: a continuation token belongs to the query and its parameters.
        var endingSince = clock.GetUtcNow() - RepairsFor;
        string? continuation = null;
        do
        {
            var page = await records.WithOpenWindowsAsync(endingSince, continuation, PageSize, cancellationToken);
            foreach (var unreadable in page.Unreadable)
            {
                (examined, failed) = (examined + 1, failed + 1);
                logger.LogError("Renewal reconciliation cannot read credential {CertificateId}: {Reason}", unreadable.Id, unreadable.Reason);
            }
            foreach (var credential in page.Items)
            {
                examined++;
                try
                {
                    switch (await ReconcileAsync(credential, cancellationToken))
                    {
                        case Repair.Started: started++; break;
                        case Repair.Woken: woken++; break;
                    }
                }
                catch (Exception e) when (!cancellationToken.IsCancellationRequested)
                {
                    failed++;
                    logger.LogError(e, "Renewal reconciliation could not reconcile credential {CertificateId}", credential.CertificateId);
                }
            }
            continuation = page.ContinuationToken;
        } while (continuation is not null);
        logger.LogInformation("Renewal reconciliation examined {Examined} credentials, started {Started} windows, woke {Woken}, failed on {Failed}",
            examined, started, woken, failed);
        return new ReconciliationReport(examined, started, woken, failed);
    }

    private async Task<Repair> ReconcileAsync(Credential credential, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (RenewalWindow.NextStep(credential, now) is not { } next) return Repair.None;
        if (!await windows.IsRunningAsync(credential.CertificateId, cancellationToken))
        {
            await windows.StartAsync(credential.CertificateId, cancellationToken);
            return Repair.Started;
        }
        if (next.At >= now - Overdue) return Repair.None;
        await windows.RaiseAsync(credential.CertificateId, new RenewalWindowEvent(RenewalWindowEventKind.RecordChanged, now), cancellationToken);
        return Repair.Woken;
    }
}
