namespace CredentialFunctions.Application.Issuance;

/// <summary>
/// What one batch of a bulk issuance owes for the first credentials it is about to create, written
/// before them: each new credential's issued event, which the batch sends in its credential's stead
/// (the credential is created with the entry handed to the ledger, <see cref="Domain.Credentials.Outbox.HandedTo"/>),
/// and its renewal window. Closed (deleted) once both are done for every credential the batch
/// created, so an open one older than a batch takes is one whose batch died on the way, and the
/// daily issuance reconciliation finishes it (<see cref="IssuanceReconciliation"/>). It names certificate ids only: a
/// credential is the batch's when its entry was handed to this ledger, not when it was merely listed
/// (another path may have issued it first).
/// </summary>
public sealed record IssuanceLedger(string RunId, int Batch, DateTimeOffset OpenedAt, IReadOnlyList<string> CertificateIds)
{
    /// <summary>The sender its credentials' issued events are handed to.</summary>
    public string Sender => SenderOf(RunId, Batch);

    public static string SenderOf(string runId, int batch) => $"ledger:{runId}:{batch}";
}
