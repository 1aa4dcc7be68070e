using System.Net;
using System.Security.Cryptography;
using System.Text;
using Azure.Core.Pipeline;
using Azure.Security.KeyVault.Secrets;
using CredentialFunctions.Adapters.Anchors;
using CredentialFunctions.Testing.Email;
using Microsoft.Extensions.Time.Testing;

namespace CredentialFunctions.Integration.Tests.Anchors;

/// <summary>
/// The anchor keys over Key Vault's secrets REST API (Get Secret, api-version 7.6), against a
/// transport that answers in the recorded shapes: the bearer challenge, a secret bundle, SecretNotFound.
/// </summary>
public sealed class KeyVaultAnchorKeysTests
{
    private const string Vault = "https://kv-test.vault.azure.net/";
    private const string V1 = "0f6c3a0a3c4e4f3f9d1b2a7e8c9d0e1f", V2 = "7a1b2c3d4e5f60718293a4b5c6d7e8f9";

    private static readonly string KeyOne = Convert.ToBase64String(SHA256.HashData("version one"u8));
    private static readonly string KeyTwo = Convert.ToBase64String(SHA256.HashData("version two"u8));

    private readonly FakeTimeProvider _clock = new(A.Jan1);
    private readonly FixedTokenCredential _credential = new();

    /// <summary>The secret's versions by id, and which of them is the latest; a test changes them as an operator would.</summary>
    private readonly Dictionary<string, string> _versions = new() { [V1] = KeyOne };
    private string _latest = V1;

    private readonly List<(string Path, string? Authorization)> _requests = [];

    private KeyVaultAnchorKeys Keys()
    {
        var options = new SecretClientOptions(SecretClientOptions.ServiceVersion.V7_6)
        {
            Transport = new HttpClientTransport(new RecordedVault(this)),
            // The recorded challenge names the real resource, which is not the fake vault's host.
            DisableChallengeResourceVerification = true,
        };
        options.Retry.MaxRetries = 0;
        return new KeyVaultAnchorKeys(new SecretClient(new Uri(Vault), _credential, options), "audit-anchor-key", _clock);
    }

    private IEnumerable<string> SecretReads => _requests.Where(r => r.Authorization is not null).Select(r => r.Path);

    [Fact]
    public async Task The_latest_version_seals_and_its_version_id_is_the_key_id_read_with_a_bearer_token_for_Key_Vault()
    {
        var key = await Keys().CurrentAsync(CancellationToken.None);

        Assert.Equal((V1, KeyOne), (key.Id, Convert.ToBase64String(key.Secret)));
        Assert.Equal(["/secrets/audit-anchor-key"], SecretReads);
        Assert.All(_requests.Where(r => r.Authorization is not null), r => Assert.Equal("Bearer token-for-acs", r.Authorization));
        Assert.Equal(["https://vault.azure.net/.default"], _credential.Scopes.Distinct());
    }

    [Fact]
    public async Task A_rotation_reaches_an_instance_once_its_current_key_is_five_minutes_old_and_the_old_version_still_checks()
    {
        var keys = Keys();
        await keys.CurrentAsync(CancellationToken.None);
        (_versions[V2], _latest) = (KeyTwo, V2);

        var beforeLifetime = await keys.CurrentAsync(CancellationToken.None);
        _clock.Advance(KeyVaultAnchorKeys.CurrentKeyLifetime);
        var afterLifetime = await keys.CurrentAsync(CancellationToken.None);
        var old = await keys.FindAsync(V1, CancellationToken.None);

        Assert.Equal((V1, V2), (beforeLifetime.Id, afterLifetime.Id));
        Assert.Equal(KeyOne, Convert.ToBase64String(old!.Secret));
        Assert.Equal(["/secrets/audit-anchor-key", "/secrets/audit-anchor-key"], SecretReads);
    }

    [Fact]
    public async Task An_older_version_is_read_by_its_id_once()
    {
        (_versions[V2], _latest) = (KeyTwo, V2);
        var keys = Keys();

        var first = await keys.FindAsync(V1, CancellationToken.None);
        var again = await keys.FindAsync(V1, CancellationToken.None);

        Assert.Equal((V1, V1), (first!.Id, again!.Id));
        Assert.Equal([$"/secrets/audit-anchor-key/{V1}"], SecretReads);
    }

    [Fact]
    public async Task A_version_the_vault_does_not_have_is_no_key_and_is_asked_for_once()
    {
        var keys = Keys();

        Assert.Null(await keys.FindAsync(V2, CancellationToken.None));
        Assert.Null(await keys.FindAsync(V2, CancellationToken.None));
        Assert.Equal([$"/secrets/audit-anchor-key/{V2}"], SecretReads);
    }

    [Theory]
    [InlineData("development-0123456789ab")]
    [InlineData("../../keys/open-badges-issuer")]
    [InlineData("0F6C3A0A3C4E4F3F9D1B2A7E8C9D0E1F")]
    public async Task A_key_id_that_is_not_a_version_id_never_reaches_the_vault(string keyId)
    {
        Assert.Null(await Keys().FindAsync(keyId, CancellationToken.None));
        Assert.Empty(_requests);
    }

    [Fact]
    public async Task A_secret_that_is_not_base64_of_32_bytes_is_refused_rather_than_used_as_a_key()
    {
        _versions[V1] = "correct horse battery staple";

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => Keys().CurrentAsync(CancellationToken.None));

        Assert.Contains("openssl rand -base64 32", refused.Message);
    }

    /// <summary>Key Vault as it answers: 401 with the bearer challenge to a request without a token, then the secret bundle or SecretNotFound.</summary>
    private sealed class RecordedVault(KeyVaultAnchorKeysTests test) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var authorization = request.Headers.Authorization?.ToString();
            test._requests.Add((request.RequestUri!.AbsolutePath, authorization));
            if (authorization is null)
            {
                var challenge = new HttpResponseMessage(HttpStatusCode.Unauthorized) { Content = Json("""{"error":{"code":"Unauthorized","message":"AKV10000: Request is missing a Bearer or PoP token."}}""") };
                challenge.Headers.TryAddWithoutValidation("WWW-Authenticate", """Bearer authorization="https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47", resource="https://vault.azure.net" """.TrimEnd());
                return Task.FromResult(challenge);
            }
            var segments = request.RequestUri.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
            var version = segments.Length > 2 ? segments[2] : test._latest;
            return Task.FromResult(test._versions.TryGetValue(version, out var value)
                ? new HttpResponseMessage(HttpStatusCode.OK)
                {
                    Content = Json($$$"""{"value":"{{{value}}}","id":"{{{Vault}}}secrets/audit-anchor-key/{{{version}}}","attributes":{"enabled":true,"created":1767258000,"updated":1767258000,"recoveryLevel":"Recoverable","recoverableDays":90}}"""),
                }
                : new HttpResponseMessage(HttpStatusCode.NotFound)
                {
                    Content = Json($$$"""{"error":{"code":"SecretNotFound","message":"A secret with (name/id) audit-anchor-key/{{{version}}} was not found in this key vault. If you recently deleted this secret you may be able to recover it using the correct recovery command. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182"}}"""),
                });
        }

        private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
    }
}
