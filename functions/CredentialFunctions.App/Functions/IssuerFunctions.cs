using CredentialFunctions.App.Http;
using CredentialFunctions.Application.Signing;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace CredentialFunctions.App.Functions;

/// <summary>
/// Who signs the credentials, for anyone who verifies one: the issuer's Open Badges profile (every
/// credential's <c>issuer.id</c>) and its public keys as a JWK Set.
/// </summary>
public sealed class IssuerFunctions(IssuerProfile issuer, VcJwtSigner signer)
{
    /// <summary>
    /// Verifiers cache the key set for this long. A rotated-in key signs at once (Key Vault makes it
    /// current), so a verifier holding an older copy meets an unknown kid, and refetches, as JOSE
    /// libraries do; the keys it has cached never stop verifying, since retired keys stay published.
    /// </summary>
    private const string KeySetCaching = "public, max-age=600";

    [Function("IssuerProfile")]
    [Anonymous]
    [Answers(StatusCodes.Status200OK, typeof(IssuerProfile), ContentType = "application/ld+json")]
    public IActionResult Profile([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "issuer")] HttpRequest request)
        => new JsonResponse(issuer, contentType: "application/ld+json").WithHeader("Cache-Control", "public, max-age=3600");

    [Function("IssuerKeySet")]
    [Anonymous]
    [Answers(StatusCodes.Status200OK, typeof(JsonWebKeySet), ContentType = "application/jwk-set+json")]
    public async Task<IActionResult> KeySet([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "issuer/jwks")] HttpRequest request, CancellationToken cancellationToken)
        => new JsonResponse(await signer.KeySetAsync(cancellationToken), contentType: "application/jwk-set+json").WithHeader("Cache-Control", KeySetCaching);
}
