using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CredentialFunctions.Application.Signing;

/// <summary>
/// Signs JWTs as the issuer: compact JWS with the protected header <c>{alg: RS256, kid, typ}</c>,
/// the <c>kid</c> naming the issuer key that signed, so a verifier picks it from the published
/// JWK Set. RS256 is the algorithm every Open Badges 3.0 verifier must accept (OB 3.0 §8.2).
/// Open Badges credentials (<c>typ</c> "vc+jwt") and the status list credential are signed here.
/// </summary>
public sealed class VcJwtSigner(IIssuerKeys keys)
{
    public const string Algorithm = "RS256";

    /// <summary>The media type of a VC secured as a JWT (VC-JOSE-COSE §3.1.1), the <c>typ</c> of its header.</summary>
    public const string VerifiableCredentialType = "vc+jwt";

    public async Task<string> SignAsync(string type, JsonObject claims, CancellationToken cancellationToken)
    {
        var key = await keys.CurrentAsync(cancellationToken);
        var header = new JsonObject { ["alg"] = Algorithm, ["kid"] = key.KeyId, ["typ"] = type };
        var signingInput = $"{Encoded(header)}.{Encoded(claims)}";
        var digest = SHA256.HashData(Encoding.ASCII.GetBytes(signingInput));
        var signature = await keys.SignDigestAsync(key.KeyId, digest, cancellationToken);
        return $"{signingInput}.{Base64Url.EncodeToString(signature)}";
    }

    /// <summary>The issuer's JWK Set: the current key first, then the older keys that still verify.</summary>
    public async Task<JsonWebKeySet> KeySetAsync(CancellationToken cancellationToken)
        => new([.. (await keys.PublishedAsync(cancellationToken)).Select(k => k.ToJsonWebKey())]);

    private static string Encoded(JsonObject json) => Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(json));
}
