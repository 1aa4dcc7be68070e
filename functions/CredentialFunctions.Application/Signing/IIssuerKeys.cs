namespace CredentialFunctions.Application.Signing;

/// <summary>
/// The issuer's RSA keys, wherever they live (Key Vault in Azure, a development key locally). The
/// private half never crosses this port: a caller gets public keys and signatures only.
/// </summary>
public interface IIssuerKeys
{
    /// <summary>The key that signs from now on.</summary>
    Task<RsaPublicKey> CurrentAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Every key a verifier should trust: the current one and the older, verification-only ones,
    /// so what they signed before a rotation still verifies.
    /// </summary>
    Task<IReadOnlyList<RsaPublicKey>> PublishedAsync(CancellationToken cancellationToken);

    /// <summary>An RSASSA-PKCS1-v1_5 signature (RS256) over a SHA-256 digest, by the key named <paramref name="keyId"/>.</summary>
    Task<byte[]> SignDigestAsync(string keyId, ReadOnlyMemory<byte> sha256Digest, CancellationToken cancellationToken);
}

/// <summary>
/// A public RSA key, named by its RFC 7638 JWK thumbprint: the same key gets the same <c>kid</c>
/// in every host and after every restart, and a <c>kid</c> cannot be reused for another key.
/// </summary>
public sealed record RsaPublicKey
{
    public RsaPublicKey(byte[] modulus, byte[] exponent)
    {
        Modulus = Unpadded(modulus);
        Exponent = Unpadded(exponent);
        KeyId = JsonWebKey.Thumbprint(Modulus, Exponent);
    }

    public byte[] Modulus { get; }

    public byte[] Exponent { get; }

    public string KeyId { get; }

    public JsonWebKey ToJsonWebKey() => JsonWebKey.ForVerifying(this);

    /// <summary>RFC 7518 §6.3.1: the integers as unsigned big-endian with no leading zero octets (Key Vault's n may carry one).</summary>
    private static byte[] Unpadded(byte[] integer)
    {
        var start = 0;
        while (start < integer.Length - 1 && integer[start] == 0) start++;
        return integer[start..];
    }
}

/// <summary>The issuer key unknown to the keys asked to sign with it (retired and removed, or never ours).</summary>
public sealed class UnknownIssuerKeyException(string keyId) : InvalidOperationException($"No issuer key has kid {keyId}.")
{
    public string KeyId { get; } = keyId;
}
