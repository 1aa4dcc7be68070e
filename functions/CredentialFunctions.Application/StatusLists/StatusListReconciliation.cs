using CredentialFunctions.Application.Ports;
using CredentialFunctions.Domain.Credentials;
using Microsoft.Extensions.Logging;

namespace CredentialFunctions.Application.StatusLists;

/// <summary>What a status list sweep found behind and published.</summary>
public sealed record StatusListReconciliationReport(int Behind, int Published, int Failed);

/// <summary>
/// The daily safety net under the status lists: a revocation or suspension whose list write was cut
/// short (the process died, the store failed) is published here. It reads only the records marked
/// behind, so its cost follows the failures, not the number of credentials.
/// </summary>
public sealed class StatusListReconciliation(IStatusListRecords records, StatusListPublisher publisher, ILogger<StatusListReconciliation> logger)
{
    public const int PageSize = 100;

    public async Task<StatusListReconciliationReport> RunAsync(CancellationToken cancellationToken)
    {
        // Publishing takes a record out of the query's results, so every page is read before anything changes.
        var behind = new List<Credential>();
        string? continuation = null;
        do
        {
            var page = await records.BehindAsync(continuation, PageSize, cancellationToken);
            behind.AddRange(page.Items);
            foreach (var unreadable in page.Unreadable)
                logger.LogError("Status list reconciliation cannot read credential {CertificateId}: {Reason}", unreadable.Id, unreadable.Reason);
            continuation = page.ContinuationToken;
        } while (continuation is not null);

        var (published, failed) = (0, 0);
        foreach (var credential in behind)
        {
            try
            {
                await publisher.PublishAsync(credential.CertificateId, cancellationToken);
                published++;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                failed++;
                logger.LogError(e, "The status lists of credential {CertificateId} could not be brought in line with its record", credential.CertificateId);
            }
        }
        logger.LogInformation("Status list reconciliation found {Behind} credentials behind, published {Published}, failed {Failed}", behind.Count, published, failed);
        return new StatusListReconciliationReport(behind.Count, published, failed);
    }
}
