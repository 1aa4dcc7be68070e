using System.Security.Cryptography;
using System.Text;

namespace CredentialFunctions.Domain.Audit;

/// <summary>What happened to a credential, in the words an auditor uses (spec C10).</summary>
public enum AuditAction
{
    Issued,
    ReminderSent,
    EnteredGrace,
    GraceExtended,
    Lapsed,
    Renewed,
    Reinstated,
    Revoked,
    Superseded,
    Corrected,
    TrackingEnded,
    CreditsLogged,
    CreditApproved,
    CreditRejected,
    Suspended,
    SuspensionLifted,
}

/// <summary>
/// One link of a credential's hash chain: who did what, when and why, the digest of the record as
/// it stood afterwards, and the hash of the previous link. Editing any field of any entry, dropping
/// or reordering entries, or changing the record without an entry breaks the chain.
/// </summary>
public sealed record AuditEntry(
    int Sequence,
    DateTimeOffset At,
    string Actor,
    AuditAction Action,
    string? Reason,
    IReadOnlyDictionary<string, string> Details,
    string RecordDigest,
    string PreviousHash,
    string Hash);

/// <summary>The outcome of checking a chain: intact, or where and how it breaks.</summary>
public sealed record AuditVerification(bool IsIntact, int? BrokenAtSequence, string? Problem)
{
    public static readonly AuditVerification Intact = new(true, null, null);
    public static AuditVerification BrokenAt(int sequence, string problem) => new(false, sequence, problem);
}

public static class AuditTrail
{
    /// <summary>The first link's predecessor is bound to the certificate id, so a chain cannot be moved onto another credential.</summary>
    public static string GenesisHash(string subjectId) => Sha256Hex("credential-audit-genesis\n" + subjectId);

    public static AuditEntry Next(
        IReadOnlyList<AuditEntry> trail, string subjectId, DateTimeOffset at, string actor, AuditAction action,
        string? reason, IReadOnlyDictionary<string, string>? details, string recordDigest)
    {
        if (string.IsNullOrWhiteSpace(actor)) throw new ArgumentException("Every audit entry names who acted.", nameof(actor));
        var previous = trail.Count == 0 ? GenesisHash(subjectId) : trail[^1].Hash;
        var sortedDetails = new SortedDictionary<string, string>(details?.ToDictionary() ?? [], StringComparer.Ordinal);
        var sequence = trail.Count + 1;
        var hash = HashOf(sequence, at, actor, action, reason, sortedDetails, recordDigest, previous);
        return new AuditEntry(sequence, at, actor, action, reason, sortedDetails, recordDigest, previous, hash);
    }

    /// <summary>Recomputes every link, and checks the last link describes the record as it is now.</summary>
    public static AuditVerification Verify(IReadOnlyList<AuditEntry> trail, string subjectId, string currentRecordDigest)
    {
        if (trail.Count == 0) return AuditVerification.BrokenAt(0, "The record has no audit trail.");
        var previous = GenesisHash(subjectId);
        for (var i = 0; i < trail.Count; i++)
        {
            var e = trail[i];
            if (e.Sequence != i + 1) return AuditVerification.BrokenAt(i + 1, "An entry is missing or out of order.");
            if (e.PreviousHash != previous) return AuditVerification.BrokenAt(e.Sequence, "The entry does not follow the one before it.");
            var expected = HashOf(e.Sequence, e.At, e.Actor, e.Action, e.Reason, e.Details, e.RecordDigest, e.PreviousHash);
            if (e.Hash != expected) return AuditVerification.BrokenAt(e.Sequence, "The entry was altered after it was written.");
            previous = e.Hash;
        }
        return trail[^1].RecordDigest == currentRecordDigest
            ? AuditVerification.Intact
            : AuditVerification.BrokenAt(trail.Count, "The record was changed without an audit entry.");
    }

    /// <summary>
    /// SHA-256 over a length-prefixed encoding of each field: unambiguous, so no two different
    /// entries (say, a reason that contains a separator) can encode to the same text.
    /// </summary>
    private static string HashOf(int sequence, DateTimeOffset at, string actor, AuditAction action, string? reason,
        IReadOnlyDictionary<string, string> details, string recordDigest, string previous)
    {
        var canonical = new CanonicalText()
            .Add(sequence.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Add(at.UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Add(actor)
            .Add(action.ToString())
            .Add(reason)
            .Add(details.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        foreach (var (key, value) in details.OrderBy(d => d.Key, StringComparer.Ordinal)) canonical.Add(key).Add(value);
        return Sha256Hex(canonical.Add(recordDigest).Add(previous).ToString());
    }

    public static string Sha256Hex(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}

/// <summary>Length-prefixed fields ("5:hello"), null distinct from empty; the one encoding both digests and hashes use.</summary>
public sealed class CanonicalText
{
    private readonly StringBuilder _text = new();

    public CanonicalText Add(string? field)
    {
        if (field is null) _text.Append("-;");
        else _text.Append(field.Length).Append(':').Append(field).Append(';');
        return this;
    }

    public override string ToString() => _text.ToString();
}
