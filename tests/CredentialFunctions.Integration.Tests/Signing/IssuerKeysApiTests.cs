using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using CredentialFunctions.Adapters.Signing;
using CredentialFunctions.Application;
using CredentialFunctions.Application.Signing;
using CredentialFunctions.Integration.Tests.Api;
using CredentialFunctions.Testing.Api;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using IdentityModelKeySet = Microsoft.IdentityModel.Tokens.JsonWebKeySet;

namespace CredentialFunctions.Integration.Tests.Signing;

/// <summary>
/// The issuer as a verifier meets it: its profile at its own id, its keys at a stable URL, and
/// every JWT it signs verifying with a JOSE library that knows nothing of this code.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class IssuerKeysApiTests(ApiFixture fixture)
{
    private readonly ApiHost _api = fixture.Host;

    private static readonly JsonObject Claims = new() { ["iss"] = "http://localhost:7071/api/issuer", ["jti"] = "urn:test:1" };

    private HttpRequestMessage Anonymous(string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", VerificationApiTests.NewClient());
        return request;
    }

    [Fact]
    public async Task The_issuer_profile_is_served_anonymously_at_its_own_id()
    {
        using var response = await _api.Client.SendAsync(Anonymous("/api/issuer"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/ld+json", response.Content.Headers.ContentType?.MediaType);
        var profile = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("http://localhost:7071/api/issuer", (string?)profile["id"]);
        Assert.Equal(["Profile"], profile["type"]!.AsArray().Select(t => (string?)t));
        Assert.Equal(ApiHost.IssuerName, (string?)profile["name"]);
        Assert.Equal(IssuerProfile.Contexts, profile["@context"]!.AsArray().Select(c => (string?)c));
    }

    [Fact]
    public async Task The_key_set_is_a_cacheable_JWK_Set_of_RS256_public_keys_only()
    {
        using var response = await _api.Client.SendAsync(Anonymous("/api/issuer/jwks"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/jwk-set+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.CacheControl?.Public);
        Assert.Equal(TimeSpan.FromMinutes(10), response.Headers.CacheControl?.MaxAge);
        var key = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["keys"]!.AsArray().Single()!.AsObject();
        Assert.Equal(["kty", "kid", "use", "alg", "n", "e"], key.Select(p => p.Key));
        Assert.Equal(("RSA", "sig", "RS256"), ((string?)key["kty"], (string?)key["use"], (string?)key["alg"]));
    }

    [Fact]
    public async Task A_JWT_the_issuer_signs_verifies_with_any_JOSE_library_against_the_published_keys()
    {
        var token = await _api.Services.GetRequiredService<VcJwtSigner>().SignAsync(VcJwtSigner.VerifiableCredentialType, Claims, CancellationToken.None);

        var result = await ValidateAsync(token, await PublishedKeysAsync());

        Assert.True(result.IsValid, result.Exception?.Message);
        var jwt = (JsonWebToken)result.SecurityToken;
        Assert.Equal(("RS256", "vc+jwt"), (jwt.Alg, jwt.Typ));
        Assert.Equal((await PublishedKeysAsync()).Keys.Single().Kid, jwt.Kid);
        Assert.Equal("urn:test:1", jwt.Id);
    }

    [Fact]
    public async Task A_tampered_payload_or_another_key_fails_verification()
    {
        var token = await _api.Services.GetRequiredService<VcJwtSigner>().SignAsync(VcJwtSigner.VerifiableCredentialType, Claims, CancellationToken.None);
        var parts = token.Split('.');
        var forgedClaims = new JsonObject { ["iss"] = "http://localhost:7071/api/issuer", ["jti"] = "urn:test:2" };
        var tampered = $"{parts[0]}.{System.Buffers.Text.Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(forgedClaims))}.{parts[2]}";
        using var otherKeys = new DevelopmentIssuerKeys(new SigningOptions { DevelopmentKey = ApiHost.NewIssuerKey() });
        var signedByAnother = await new VcJwtSigner(otherKeys).SignAsync(VcJwtSigner.VerifiableCredentialType, Claims, CancellationToken.None);

        Assert.False((await ValidateAsync(tampered, await PublishedKeysAsync())).IsValid);
        Assert.False((await ValidateAsync(signedByAnother, await PublishedKeysAsync())).IsValid);
    }

    [Fact]
    public async Task After_a_rotation_the_new_key_signs_and_what_the_old_one_signed_still_verifies()
    {
        var oldKey = ApiHost.NewIssuerKey();
        using var before = new DevelopmentIssuerKeys(new SigningOptions { DevelopmentKey = oldKey });
        var signedBefore = await new VcJwtSigner(before).SignAsync(VcJwtSigner.VerifiableCredentialType, Claims, CancellationToken.None);
        using var after = new DevelopmentIssuerKeys(new SigningOptions { DevelopmentKey = ApiHost.NewIssuerKey(), RetiredDevelopmentKeys = [oldKey] });
        var signer = new VcJwtSigner(after);
        var keySet = new IdentityModelKeySet(JsonSerializer.Serialize(await signer.KeySetAsync(CancellationToken.None), CredentialJson.Options));
        var signedAfter = await signer.SignAsync(VcJwtSigner.VerifiableCredentialType, Claims, CancellationToken.None);

        Assert.Equal(2, keySet.Keys.Count);
        Assert.Equal((await after.CurrentAsync(CancellationToken.None)).KeyId, keySet.Keys[0].Kid);
        Assert.Equal(keySet.Keys[0].Kid, new JsonWebToken(signedAfter).Kid);
        Assert.True((await ValidateAsync(signedBefore, keySet)).IsValid);
        Assert.True((await ValidateAsync(signedAfter, keySet)).IsValid);
        await Assert.ThrowsAsync<UnknownIssuerKeyException>(() => after.SignDigestAsync(keySet.Keys[1].Kid, new byte[32], CancellationToken.None));
    }

    private async Task<IdentityModelKeySet> PublishedKeysAsync()
    {
        using var response = await _api.Client.SendAsync(Anonymous("/api/issuer/jwks"));
        return new IdentityModelKeySet(await response.Content.ReadAsStringAsync());
    }

    private static Task<TokenValidationResult> ValidateAsync(string token, IdentityModelKeySet keys)
        => new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            IssuerSigningKeys = keys.GetSigningKeys(),
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            ValidateIssuer = false,
            ValidateAudience = false,
            ValidateLifetime = false,
            RequireExpirationTime = false,
            TryAllIssuerSigningKeys = false, // the kid picks the key, as a verifier meeting many keys does
        });
}
