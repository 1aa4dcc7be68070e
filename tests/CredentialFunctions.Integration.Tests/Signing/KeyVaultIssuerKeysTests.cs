using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CredentialFunctions.Adapters.Signing;
using CredentialFunctions.Application;
using CredentialFunctions.Application.Signing;
using CredentialFunctions.Testing.Email;
using CredentialFunctions.Testing.Signing;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using IdentityModelKeySet = Microsoft.IdentityModel.Tokens.JsonWebKeySet;

namespace CredentialFunctions.Integration.Tests.Signing;

/// <summary>The Key Vault signer against Key Vault's REST API as it answers: requests, token, rotation, errors.</summary>
public sealed class KeyVaultIssuerKeysTests : IDisposable
{
    private static readonly JsonObject Claims = new() { ["iss"] = "https://func-abc.azurewebsites.net/api/issuer", ["jti"] = "urn:test:1" };

    private readonly RecordedKeyVault _vault = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task It_signs_in_the_vault_with_the_identity_token_and_the_JWT_verifies_against_the_published_key()
    {
        var credential = new FixedTokenCredential();
        var signer = new VcJwtSigner(_vault.Keys(_time, credential));

        var jwt = await signer.SignAsync(VcJwtSigner.VerifiableCredentialType, Claims, CancellationToken.None);

        var sign = _vault.Requests.Single(r => r.Method == HttpMethod.Post);
        Assert.Equal($"{RecordedKeyVault.VaultUri}keys/{RecordedKeyVault.KeyName}/{_vault.CurrentVersion}/sign?api-version=7.4", sign.Uri.ToString());
        Assert.Equal("RS256", sign.Body!.Value.GetProperty("alg").GetString());
        var signingInput = jwt[..jwt.LastIndexOf('.')];
        Assert.Equal(Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(signingInput))), sign.Body.Value.GetProperty("value").GetString());
        Assert.All(_vault.Requests, r => Assert.Equal("Bearer token-for-acs", r.Authorization));
        Assert.Contains("https://vault.azure.net/.default", credential.Scopes);
        Assert.True((await ValidateAsync(jwt, await KeySetAsync(signer))).IsValid);
    }

    [Fact]
    public async Task Every_enabled_version_is_published_with_the_current_first_and_a_disabled_one_is_withdrawn()
    {
        var first = _vault.CurrentVersion;
        var withdrawn = _vault.Rotate();
        var current = _vault.Rotate();
        _vault.Disable(withdrawn);

        var keys = await _vault.Keys(_time).PublishedAsync(CancellationToken.None);

        Assert.Equal([Thumbprint(current), Thumbprint(first)], keys.Select(k => k.KeyId));
    }

    [Fact]
    public async Task After_a_rotation_reaches_the_app_the_new_version_signs_and_what_the_old_one_signed_still_verifies()
    {
        var signer = new VcJwtSigner(_vault.Keys(_time));
        var before = await signer.SignAsync(VcJwtSigner.VerifiableCredentialType, Claims, CancellationToken.None);
        var rotated = _vault.Rotate();

        _time.Advance(KeyVaultIssuerKeys.KeyLifetime);
        var after = await signer.SignAsync(VcJwtSigner.VerifiableCredentialType, Claims, CancellationToken.None);
        var keySet = await KeySetAsync(signer);

        Assert.Equal(Thumbprint(rotated), new JsonWebToken(after).Kid);
        Assert.NotEqual(new JsonWebToken(before).Kid, new JsonWebToken(after).Kid);
        Assert.True((await ValidateAsync(before, keySet)).IsValid);
        Assert.True((await ValidateAsync(after, keySet)).IsValid);
    }

    [Fact]
    public async Task Within_the_key_lifetime_a_signature_is_one_call_to_the_vault()
    {
        var signer = new VcJwtSigner(_vault.Keys(_time));
        await signer.SignAsync(VcJwtSigner.VerifiableCredentialType, Claims, CancellationToken.None);
        var before = _vault.Requests.Count;

        await signer.SignAsync(VcJwtSigner.VerifiableCredentialType, Claims, CancellationToken.None);

        Assert.Equal(HttpMethod.Post, Assert.Single(_vault.Requests.Skip(before)).Method);
    }

    [Theory]
    [InlineData(HttpStatusCode.Unauthorized, "Unauthorized", "did not accept the app identity's token", true)]
    [InlineData(HttpStatusCode.Forbidden, "Forbidden", "needs Key Vault Crypto User", true)]
    [InlineData(HttpStatusCode.NotFound, "KeyNotFound", "has no key open-badges-issuer", false)]
    [InlineData(HttpStatusCode.TooManyRequests, "Throttled", "throttled", true)]
    public async Task A_refusal_of_the_vault_is_a_clear_exception(HttpStatusCode status, string code, string says, bool transient)
    {
        var keys = _vault.Keys(_time, maxRetries: 1);
        _vault.Refuse(status, code, "Refused by the test.");

        var refused = await Assert.ThrowsAsync<IssuerKeyUnavailableException>(() => new VcJwtSigner(keys).SignAsync(VcJwtSigner.VerifiableCredentialType, Claims, CancellationToken.None));

        Assert.Contains(says, refused.Message, StringComparison.Ordinal);
        Assert.Contains($"{code}: Refused by the test.", refused.Message, StringComparison.Ordinal);
        Assert.Equal((transient, (int)status), (refused.IsTransient, refused.Status));
    }

    [Fact]
    public async Task A_signature_by_a_disabled_version_is_refused_by_the_vault()
    {
        var keys = _vault.Keys(_time);
        var old = await keys.CurrentAsync(CancellationToken.None);
        var oldVersion = _vault.CurrentVersion;
        _vault.Rotate();
        _vault.Disable(oldVersion);

        var refused = await Assert.ThrowsAsync<IssuerKeyUnavailableException>(() => keys.SignDigestAsync(old.KeyId, new byte[32], CancellationToken.None));

        Assert.Equal(403, refused.Status);
    }

    private string Thumbprint(string version)
    {
        var p = _vault.KeyOf(version).ExportParameters(false);
        return new RsaPublicKey(p.Modulus!, p.Exponent!).KeyId;
    }

    private static async Task<IdentityModelKeySet> KeySetAsync(VcJwtSigner signer)
        => new(JsonSerializer.Serialize(await signer.KeySetAsync(CancellationToken.None), CredentialJson.Options));

    private static Task<TokenValidationResult> ValidateAsync(string token, IdentityModelKeySet keys)
        => new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            IssuerSigningKeys = keys.GetSigningKeys(),
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            ValidateIssuer = false,
            ValidateAudience = false,
            ValidateLifetime = false,
            RequireExpirationTime = false,
            TryAllIssuerSigningKeys = false,
        });

    public void Dispose() => _vault.Dispose();
}
