using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace CredentialFunctions.Domain.Audit;

/// <summary>
/// The seal on a record's audit chain: HMAC-SHA256, by a key the database does not hold, over the
/// certificate id, the sequence number and the hash of the chain's last entry (whose record digest
/// covers the record). Whoever can write the database can recompute a plain hash chain; without
/// the key they cannot make the anchor of an edited, truncated, swapped or forged chain.
/// </summary>
/// <param name="KeyId">Which key made it, so keys rotate and old anchors still check.</param>
/// <param name="Mac">64 lowercase hex characters.</param>
public sealed record AuditAnchor(string KeyId, string Mac)
{
    /// <summary>A key shorter than the hash's 32 bytes would be the weakest part of the MAC.</summary>
    public const int MinimumKeyBytes = 32;

    public static AuditAnchor Make(string keyId, ReadOnlySpan<byte> key, string subjectId, IReadOnlyList<AuditEntry> trail)
    {
        if (key.Length < MinimumKeyBytes) throw new ArgumentException($"An anchor key has at least {MinimumKeyBytes} bytes.", nameof(key));
        if (trail.Count == 0) throw new ArgumentException("A record without an audit trail has nothing to anchor.", nameof(trail));
        return new AuditAnchor(keyId, Convert.ToHexStringLower(HMACSHA256.HashData(key, Message(subjectId, trail))));
    }

    /// <summary>Well-formed: a key id and a MAC of the right shape. A malformed anchor is not looked up.</summary>
    public bool IsWellFormed => !string.IsNullOrWhiteSpace(KeyId) && Mac is { Length: 64 } && Mac.All(char.IsAsciiHexDigitLower);

    /// <summary>Whether this anchor, made with <paramref name="key"/>, seals exactly this chain of this record (compared in constant time).</summary>
    public bool Seals(ReadOnlySpan<byte> key, string subjectId, IReadOnlyList<AuditEntry> trail)
        => IsWellFormed && trail.Count > 0
            && CryptographicOperations.FixedTimeEquals(Convert.FromHexString(Mac), HMACSHA256.HashData(key, Message(subjectId, trail)));

    /// <summary>Labelled and length-prefixed, so an anchor can never be taken for another MAC made with the same key.</summary>
    private static byte[] Message(string subjectId, IReadOnlyList<AuditEntry> trail) => Encoding.UTF8.GetBytes(new CanonicalText()
        .Add("credential-audit-anchor/v1")
        .Add(subjectId)
        .Add(trail[^1].Sequence.ToString(CultureInfo.InvariantCulture))
        .Add(trail[^1].Hash)
        .ToString());
}

/// <summary>Why a record's anchor does not vouch for it; <see cref="None"/> when it does.</summary>
public enum AnchorFailure
{
    None,
    /// <summary>No anchor: written before anchors existed, or stripped by whoever edited it.</summary>
    Missing,
    Malformed,
    /// <summary>The key id names no key we hold.</summary>
    UnknownKey,
    /// <summary>The anchor was made for another chain head, another sequence or another record.</summary>
    Mismatch,
}
