using CredentialFunctions.Application.Cohorts;
using CredentialFunctions.Application.Outbox;
using CredentialFunctions.Application.Ports;
using CredentialFunctions.Application.Renewal;
using CredentialFunctions.Domain.Credentials;

namespace CredentialFunctions.Application.Issuance;

/// <summary>
/// Does what an <see cref="IssuanceLedger"/> owes: each of its credentials' issued events sent (the
/// entries handed to the ledger, with their payloads), each renewal window started (which sends the
/// issuance notice), and then the ledger closed. Sends and starts are idempotent (the event's id is
/// its message id, which Service Bus de-duplicates; a window is one instance per credential), and a
/// retry asks the transport first where it can tell, so finishing a ledger twice sends nothing twice
/// that the broker keeps.
/// </summary>
public sealed class IssuanceLedgerSettlement(IIssuanceLedgerStore ledgers, ICredentialStore credentials, IEnumerable<IOutboxTransport> transports, IRenewalWindows windows)
{
    private readonly IOutboxTransport _events = transports.Single(t => t.Channel == OutboxChannel.Events);

    /// <param name="created">The ledger's credentials as created: only those whose entries were handed to it.</param>
    /// <param name="askFirst">An earlier attempt may have sent some: the transport is asked before each send.</param>
    /// <exception cref="Exception">A send or a start failed: the ledger stays open for the batch's retry or the repair.</exception>
    public async Task SettleAsync(IssuanceLedger ledger, IReadOnlyList<Credential> created, bool askFirst, CancellationToken cancellationToken)
    {
        var owed = created.SelectMany(c => c.Outbox.Entries.Where(e => c.Outbox.IsHandedTo(e.Key, ledger.Sender))).ToList();
        if (askFirst) owed = [.. (await Concurrently.EachAsync(owed, Concurrently.BatchCalls, async e => (Entry: e, Sent: await _events.FindSentAsync(e, cancellationToken)), cancellationToken)).Where(s => s.Sent is null).Select(s => s.Entry)];
        await _events.SendAllAsync(owed, cancellationToken);
        await Concurrently.EachAsync(created.Where(c => c.ExpiresAt is not null).ToList(), Concurrently.BatchCalls, async c =>
        {
            await windows.StartAsync(c.CertificateId, cancellationToken);
            return c;
        }, cancellationToken);
        await ledgers.CloseAsync(ledger.RunId, ledger.Batch, cancellationToken);
    }

    /// <summary>A ledger whose batch died: its credentials read, and those created under it settled.</summary>
    public async Task FinishAsync(IssuanceLedger ledger, CancellationToken cancellationToken)
    {
        var read = await Concurrently.EachAsync(ledger.CertificateIds, Concurrently.BatchCalls, id => credentials.GetAsync(id, cancellationToken), cancellationToken);
        var created = read.Where(c => c is not null && IsUnder(c.Value, ledger)).Select(c => c!.Value).ToList();
        await SettleAsync(ledger, created, askFirst: true, cancellationToken);
    }

    /// <summary>Whether the ledger's batch created the credential: its entries were handed to the ledger; listed is not enough, another path may have issued it first.</summary>
    public static bool IsUnder(Credential credential, IssuanceLedger ledger) => credential.Outbox.Entries.Any(e => credential.Outbox.IsHandedTo(e.Key, ledger.Sender));
}
