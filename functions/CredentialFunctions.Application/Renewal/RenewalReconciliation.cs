using CredentialFunctions.Application.Ports;
using CredentialFunctions.Domain.Renewal;
using Microsoft.Extensions.Logging;

namespace CredentialFunctions.Application.Renewal;

/// <summary>What a reconciliation pass looked at and repaired.</summary>
public sealed record ReconciliationReport(int Examined, int Started, int Woken);

/// <summary>
/// The daily safety net under the renewal windows: after a failed start at issuance, a restore from
/// backup or a bug, every credential that still has a step to take gets a running window, and a
/// running window whose step is long overdue is woken to re-read its record. Never sends anything
/// itself, and a window it starts sends nothing already recorded as sent (the delivery keys).
/// </summary>
public sealed class RenewalReconciliation(IRenewalWindowRecords records, TimeProvider clock, ILogger<RenewalReconciliation> logger)
{
    public const int PageSize = 100;

    /// <summary>A running window takes its steps within seconds of their instant; one this late is asleep on an out-of-date plan.</summary>
    public static readonly TimeSpan Overdue = TimeSpan.FromHours(6);

    public async Task<ReconciliationReport> RunAsync(IRenewalWindows windows, CancellationToken cancellationToken)
    {
        var (examined, started, woken) = (0, 0, 0);
        string? continuation = null;
        do
        {
            var page = await records.WithOpenWindowsAsync(continuation, PageSize, cancellationToken);
            foreach (var credential in page.Items)
            {
                examined++;
                var now = clock.GetUtcNow();
                if (RenewalWindow.NextStep(credential, now) is not { } next) continue;
                if (!await windows.IsRunningAsync(credential.CertificateId, cancellationToken))
                {
                    await windows.StartAsync(credential.CertificateId, cancellationToken);
                    started++;
                }
                else if (next.At < now - Overdue)
                {
                    await windows.RaiseAsync(credential.CertificateId, new RenewalWindowEvent(RenewalWindowEventKind.RecordChanged, now), cancellationToken);
                    woken++;
                }
            }
            continuation = page.ContinuationToken;
        } while (continuation is not null);
        logger.LogInformation("Renewal reconciliation examined {Examined} credentials, started {Started} windows, woke {Woken}", examined, started, woken);
        return new ReconciliationReport(examined, started, woken);
    }
}
