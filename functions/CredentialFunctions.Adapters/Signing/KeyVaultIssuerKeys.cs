using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Text.Json;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;
using CredentialFunctions.Application.Signing;

namespace CredentialFunctions.Adapters.Signing;

/// <summary>
/// The issuer's key in Azure Key Vault, over the vault's REST API (api-version 7.4) through an
/// Azure.Core pipeline with the app identity's Entra ID token: <c>sign</c> (RS256 over the digest)
/// with the private key that never leaves the vault, <c>get key</c> and <c>get key versions</c> for
/// the public halves to publish. The newest version signs; every enabled version is published, so a
/// rotation (<c>az keyvault key rotate</c>) keeps what older versions signed verifying, and disabling
/// a version withdraws it. What the vault said is kept for <see cref="KeyLifetime"/>, so a
/// signature costs one call to the vault, not three.
/// </summary>
public sealed class KeyVaultIssuerKeys(SigningOptions options, TokenCredential credential, TimeProvider time, KeyVaultClientOptions? clientOptions = null) : IIssuerKeys
{
    public const string ApiVersion = "7.4";
    private const string Scope = "https://vault.azure.net/.default";

    /// <summary>How long a rotation may take to reach this instance; the JWK Set's own cache lifetime is longer.</summary>
    public static readonly TimeSpan KeyLifetime = TimeSpan.FromMinutes(5);

    private readonly HttpPipeline _pipeline = HttpPipelineBuilder.Build(
        clientOptions ?? new KeyVaultClientOptions(), new BearerTokenAuthenticationPolicy(credential, Scope));

    private readonly string _key = $"{options.KeyVaultUri.TrimEnd('/')}/keys/{Uri.EscapeDataString(options.KeyName)}";

    /// <summary>The vault's key version of each kid (thumbprint) met so far: a signature names the version.</summary>
    private readonly ConcurrentDictionary<string, string> _versions = new(StringComparer.Ordinal);

    private Known<RsaPublicKey>? _current;
    private Known<IReadOnlyList<RsaPublicKey>>? _published;

    private sealed record Known<T>(T Value, DateTimeOffset Until);

    public async Task<RsaPublicKey> CurrentAsync(CancellationToken cancellationToken)
    {
        if (_current is { } known && time.GetUtcNow() < known.Until) return known.Value;
        var key = await GetKeyAsync(_key, cancellationToken);
        _current = new(key, time.GetUtcNow() + KeyLifetime);
        return key;
    }

    public async Task<IReadOnlyList<RsaPublicKey>> PublishedAsync(CancellationToken cancellationToken)
    {
        if (_published is { } known && time.GetUtcNow() < known.Until) return known.Value;
        var current = await CurrentAsync(cancellationToken);
        var keys = new List<RsaPublicKey> { current };
        foreach (var version in await EnabledVersionsAsync(cancellationToken))
        {
            var key = await GetKeyAsync($"{_key}/{version}", cancellationToken);
            if (keys.TrueForAll(k => k.KeyId != key.KeyId)) keys.Add(key);
        }
        _published = new(keys, time.GetUtcNow() + KeyLifetime);
        return keys;
    }

    public async Task<byte[]> SignDigestAsync(string keyId, ReadOnlyMemory<byte> sha256Digest, CancellationToken cancellationToken)
    {
        if (!_versions.TryGetValue(keyId, out var version))
        {
            _published = null;
            await PublishedAsync(cancellationToken);
            if (!_versions.TryGetValue(keyId, out version)) throw new UnknownIssuerKeyException(keyId);
        }
        using var request = Request(RequestMethod.Post, $"{_key}/{version}/sign");
        request.Headers.Add(HttpHeader.Common.JsonContentType);
        request.Content = RequestContent.Create(JsonSerializer.SerializeToUtf8Bytes(new { alg = VcJwtSigner.Algorithm, value = Base64Url.EncodeToString(sha256Digest.Span) }));
        using var response = await SendAsync(request, "sign with", cancellationToken);
        using var body = JsonDocument.Parse(response.Content);
        return Base64Url.DecodeFromChars(body.RootElement.GetProperty("value").GetString());
    }

    /// <summary>Get Key: the public half of a version (the newest without one) as a JWK, named by the version in its vault kid.</summary>
    private async Task<RsaPublicKey> GetKeyAsync(string keyUrl, CancellationToken cancellationToken)
    {
        using var request = Request(RequestMethod.Get, keyUrl);
        using var response = await SendAsync(request, "read", cancellationToken);
        using var body = JsonDocument.Parse(response.Content);
        var jwk = body.RootElement.GetProperty("key");
        if (jwk.GetProperty("kty").GetString() is not ("RSA" or "RSA-HSM"))
            throw new IssuerKeyUnavailableException($"Key Vault key {options.KeyName} is {jwk.GetProperty("kty").GetString()}, not RSA: RS256 needs an RSA key.", isTransient: false);
        var key = new RsaPublicKey(Base64Url.DecodeFromChars(jwk.GetProperty("n").GetString()), Base64Url.DecodeFromChars(jwk.GetProperty("e").GetString()));
        _versions[key.KeyId] = new Uri(jwk.GetProperty("kid").GetString()!).Segments[^1];
        return key;
    }

    /// <summary>Get Key Versions, every page: the versions not disabled (nor outside their activation dates).</summary>
    private async Task<List<string>> EnabledVersionsAsync(CancellationToken cancellationToken)
    {
        var versions = new List<string>();
        var next = $"{_key}/versions?api-version={ApiVersion}&maxresults=25";
        while (next is not null)
        {
            using var request = _pipeline.CreateRequest();
            request.Method = RequestMethod.Get;
            request.Uri.Reset(new Uri(next));
            using var response = await SendAsync(request, "list the versions of", cancellationToken);
            using var body = JsonDocument.Parse(response.Content);
            var now = time.GetUtcNow().ToUnixTimeSeconds();
            versions.AddRange(body.RootElement.GetProperty("value").EnumerateArray()
                .Where(item => item.GetProperty("attributes") is var a
                    && a.GetProperty("enabled").GetBoolean()
                    && (!a.TryGetProperty("nbf", out var nbf) || nbf.GetInt64() <= now)
                    && (!a.TryGetProperty("exp", out var exp) || exp.GetInt64() > now))
                .Select(item => new Uri(item.GetProperty("kid").GetString()!).Segments[^1]));
            next = body.RootElement.TryGetProperty("nextLink", out var link) && link.ValueKind == JsonValueKind.String ? link.GetString() : null;
        }
        return versions;
    }

    private Request Request(RequestMethod method, string url)
    {
        var request = _pipeline.CreateRequest();
        request.Method = method;
        request.Uri.Reset(new Uri($"{url}?api-version={ApiVersion}"));
        return request;
    }

    private async Task<Response> SendAsync(Request request, string doing, CancellationToken cancellationToken)
    {
        Response response;
        try
        {
            response = await _pipeline.SendRequestAsync(request, cancellationToken);
        }
        catch (Exception e) when (e is RequestFailedException or AggregateException or AuthenticationFailedException)
        {
            throw new IssuerKeyUnavailableException($"Could not reach Key Vault at {options.KeyVaultUri} to {doing} key {options.KeyName}: {e.Message}", isTransient: true, e);
        }
        if (response.Status == 200) return response;
        using (response)
        {
            throw new IssuerKeyUnavailableException(response.Status switch
            {
                401 => $"Key Vault did not accept the app identity's token to {doing} key {options.KeyName} (401 {AzureRestErrors.Describe(response)}).",
                403 => $"The app identity may not {doing} key {options.KeyName}: it needs Key Vault Crypto User on the key, which main.bicep grants; a new assignment takes minutes to apply (403 {AzureRestErrors.Describe(response)}).",
                404 => $"Key Vault {options.KeyVaultUri} has no key {options.KeyName} (or not that version) to {doing} (404 {AzureRestErrors.Describe(response)}).",
                429 => $"Key Vault throttled the app while it tried to {doing} key {options.KeyName}, past the pipeline's retries (429 {AzureRestErrors.Describe(response)}).",
                _ => $"Key Vault refused to {doing} key {options.KeyName} ({response.Status} {AzureRestErrors.Describe(response)}).",
            }, isTransient: response.Status is 401 or 403 or 408 or 429 or >= 500, status: response.Status);
        }
    }
}

/// <summary>
/// The issuer's key could not be used. Transient when waiting may help (throttling, an outage, a
/// role assignment still propagating); otherwise the deployment is wrong and an operator must act.
/// </summary>
public sealed class IssuerKeyUnavailableException(string message, bool isTransient, Exception? inner = null, int? status = null) : Exception(message, inner)
{
    public bool IsTransient { get; } = isTransient;

    /// <summary>The vault's HTTP status, when it answered.</summary>
    public int? Status { get; } = status;
}

/// <summary>The pipeline's settings: a few exponential retries, each waiting at least what Retry-After asks (Key Vault sends it with 429).</summary>
public sealed class KeyVaultClientOptions : ClientOptions
{
    public KeyVaultClientOptions()
    {
        Retry.Mode = RetryMode.Exponential;
        Retry.MaxRetries = 3;
        Retry.Delay = TimeSpan.FromMilliseconds(500);
        Retry.MaxDelay = TimeSpan.FromSeconds(10);
        Retry.NetworkTimeout = TimeSpan.FromSeconds(15);
    }
}
