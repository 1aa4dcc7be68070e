using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace CredentialFunctions.Application.Signing;

/// <summary>A public RSA key as RFC 7517 publishes it, for verifying RS256 signatures only.</summary>
public sealed record JsonWebKey(string Kty, string Kid, string Use, string Alg, string N, string E)
{
    public static JsonWebKey ForVerifying(RsaPublicKey key)
        => new("RSA", key.KeyId, "sig", VcJwtSigner.Algorithm, Base64Url.EncodeToString(key.Modulus), Base64Url.EncodeToString(key.Exponent));

    /// <summary>
    /// RFC 7638: SHA-256 of the required members in lexicographic order with no whitespace, over the
    /// integers with no leading zero octets. The values are base64url, so none needs JSON escaping.
    /// </summary>
    public static string Thumbprint(byte[] modulus, byte[] exponent)
    {
        var canonical = $$"""{"e":"{{Base64Url.EncodeToString(exponent)}}","kty":"RSA","n":"{{Base64Url.EncodeToString(modulus)}}"}""";
        return Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }
}

/// <summary>An RFC 7517 JWK Set: what <c>GET /api/issuer/jwks</c> serves.</summary>
public sealed record JsonWebKeySet(IReadOnlyList<JsonWebKey> Keys);
