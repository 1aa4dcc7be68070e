using CredentialFunctions.Application.Cohorts;
using CredentialFunctions.Application.Ports;
using CredentialFunctions.Domain.Credentials;
using CredentialFunctions.Domain.Programs;
using Microsoft.Extensions.Logging;

namespace CredentialFunctions.Application.Issuance;

/// <summary>
/// Bulk issuance's passes a batch at a time, for learners who never held the program: each one's
/// first credential (<see cref="FirstCredentials"/>) created under its own id, so the create alone is
/// the one-credential rule, with no receipt, holding or event write beside it. What each new
/// credential owes is in the batch's <see cref="IssuanceLedger"/>, written before the creates and
/// closed once its events are sent and its windows started; its tallies are written once for the
/// batch (<see cref="ICredentialStore.CreateAllIfAbsentAsync"/>).
/// </summary>
/// <remarks>
/// A pass whose id is taken by a credential that holds the program and that a retake cannot renew
/// (a re-run of the cohort, say) answers alreadyHeld with no more reads. One taken otherwise (ended,
/// open for renewal) or purged is left to the one-at-a-time path, which decides on the holding as an
/// LMS pass does. A retried batch finds its ledger and its credentials (their entries handed to that ledger)
/// and answers them issued again; a batch that died is finished by the daily issuance reconciliation.
/// </remarks>
public sealed class BulkFirstIssuance(
    IssuanceService issuance, ICredentialStore credentials, FirstCredentials firsts, IPurgeLog purgeLog, IIssuanceLedgerStore ledgers, IssuanceLedgerSettlement settlement,
    TimeProvider clock, ILogger<BulkFirstIssuance> logger)
{
    /// <param name="passes">Completions that pass <paramref name="program"/>, checked.</param>
    /// <returns>For each pass, what it did; null where it is left to the one-at-a-time path.</returns>
    public async Task<IReadOnlyList<CohortRowOutcome?>> IssueAsync(CohortRun run, int batch, CertificationProgram program, CompletionOrigin origin, IReadOnlyList<LmsCompletion> passes, CancellationToken cancellationToken)
    {
        var outcomes = new CohortRowOutcome?[passes.Count];
        if (passes.Count == 0) return outcomes;
        var now = clock.GetUtcNow();
        var ids = (await firsts.IdsOfAsync(program.ProgramId, passes.Select(p => IssuanceService.LearnerIdFor(p.Learner.ExternalId)), cancellationToken)).Select(id => id.Value).ToArray();
        var purged = await purgeLog.PurgedAmongAsync(ids, cancellationToken);

        var (ledger, opened) = await ledgers.OpenAsync(new IssuanceLedger(run.RunId, batch, now, [.. ids.Where(id => !purged.Contains(id))]), cancellationToken);
        // An earlier attempt's ledger lists what that attempt could create: the ids purged since are the one-at-a-time path's.
        var listed = ledger.CertificateIds.Where(id => !purged.Contains(id)).ToHashSet(StringComparer.Ordinal);
        var candidates = Enumerable.Range(0, passes.Count).Where(i => listed.Contains(ids[i])).ToList();
        var entries = await issuance.TryAllocateStatusListsAsync(candidates.Count, cancellationToken);
        var made = new List<Credential>(candidates.Count);
        foreach (var (i, k) in candidates.Select((i, k) => (i, k)))
        {
            var credential = IssuanceService.NewCredential(passes[i], program, ids[i], now, origin.Actor, origin.Reason, entries?[k]);
            made.Add(credential.WithOutbox(credential.Outbox.UnsentEvents.Aggregate(credential.Outbox, (outbox, entry) => outbox.HandedTo(entry.Key, ledger.Sender))));
        }
        var etags = await credentials.CreateAllIfAbsentAsync(made, cancellationToken);

        var created = new List<(int Pass, Credential Credential, string ETag, bool Earlier)>();
        for (var k = 0; k < candidates.Count; k++)
        {
            if (etags[k] is { } etag) created.Add((candidates[k], made[k], etag, false));
            // Taken: by this batch's earlier attempt, or by another path.
            else if (await credentials.GetAsync(made[k].CertificateId, cancellationToken) is { Value: var existing, ETag: var existingETag })
            {
                if (IssuanceLedgerSettlement.IsUnder(existing, ledger)) created.Add((candidates[k], existing, existingETag, true));
                else if (IssuanceService.ActionOfPass(existing, now) == CompletionAction.AlreadyHeld)
                    outcomes[candidates[k]] = new CohortRowOutcome(CohortRowStatus.AlreadyHeld, existing.CertificateId);
            }
        }
        // A purge deletes a record after its log entry: an id free at the create but purged is one a purge removed in between.
        var raced = await purgeLog.PurgedAmongAsync([.. created.Select(c => c.Credential.CertificateId)], cancellationToken);
        foreach (var (_, credential, etag, _) in created.Where(c => raced.Contains(c.Credential.CertificateId)))
            await credentials.DeleteAsync(credential.CertificateId, etag, cancellationToken);
        created.RemoveAll(c => raced.Contains(c.Credential.CertificateId));

        try
        {
            // Credentials found created say an earlier attempt ran (its ledger may be closed already): it may have sent their events.
            await settlement.SettleAsync(ledger, [.. created.Select(c => c.Credential)], askFirst: !opened || created.Any(c => c.Earlier), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The credentials are issued; what they owe waits in the open ledger for the daily issuance reconciliation.
            logger.LogWarning(e, "Bulk issuance run {RunId} batch {Batch}: events or renewal windows not all done now; the daily issuance reconciliation finishes the ledger", run.RunId, batch);
        }
        foreach (var (pass, credential, _, _) in created) outcomes[pass] = new CohortRowOutcome(CohortRowStatus.Issued, credential.CertificateId);
        logger.LogInformation("Bulk issuance run {RunId} batch {Batch}: {Created} first credentials of program {ProgramId}@{Version}", run.RunId, batch, created.Count, program.ProgramId, program.Version);
        return outcomes;
    }
}
