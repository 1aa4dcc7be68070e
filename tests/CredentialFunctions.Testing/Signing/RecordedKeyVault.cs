using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Core.Pipeline;
using CredentialFunctions.Adapters.Signing;
using CredentialFunctions.Testing.Email;

namespace CredentialFunctions.Testing.Signing;

/// <summary>
/// Azure Key Vault's keys REST API (api-version 7.4) in the shapes it answers: Get Key, Get Key
/// Versions and Sign, over RSA keys held here, one per version, so signatures are real. Records
/// every request; <see cref="Refuse"/> makes the next requests answer an error as the vault words it.
/// </summary>
public sealed class RecordedKeyVault : HttpMessageHandler
{
    public const string VaultUri = "https://kv-test.vault.azure.net/";
    public const string KeyName = "open-badges-issuer";

    public sealed record RecordedRequest(HttpMethod Method, Uri Uri, string? Authorization, JsonElement? Body);

    private readonly List<(string Version, RSA Key, bool Enabled)> _versions = [];
    private Func<HttpResponseMessage>? _refusal;

    public List<RecordedRequest> Requests { get; } = [];

    public static SigningOptions Options => new() { KeyVaultUri = VaultUri, KeyName = KeyName };

    public RecordedKeyVault() => Rotate();

    /// <summary>A new version (as <c>az keyvault key rotate</c> makes), newest and signing from now on.</summary>
    public string Rotate()
    {
        var version = Guid.NewGuid().ToString("N");
        _versions.Add((version, RSA.Create(2048), true));
        return version;
    }

    public void Disable(string version)
    {
        var i = _versions.FindIndex(v => v.Version == version);
        _versions[i] = _versions[i] with { Enabled = false };
    }

    public string CurrentVersion => _versions[^1].Version;

    public RSA KeyOf(string version) => _versions.Single(v => v.Version == version).Key;

    /// <summary>Every request from now on answers this, until <see cref="Accept"/>.</summary>
    public void Refuse(HttpStatusCode status, string code, string message)
        => _refusal = () => Error(status, code, message);

    public void Accept() => _refusal = null;

    /// <summary>The adapter over this vault, its back-off made negligible.</summary>
    public KeyVaultIssuerKeys Keys(TimeProvider time, FixedTokenCredential? credential = null, int maxRetries = 2)
    {
        var clientOptions = new KeyVaultClientOptions { Transport = new HttpClientTransport(this) };
        clientOptions.Retry.Delay = TimeSpan.FromMilliseconds(1);
        clientOptions.Retry.MaxRetries = maxRetries;
        return new KeyVaultIssuerKeys(Options, credential ?? new FixedTokenCredential(), time, clientOptions);
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        JsonElement? body = request.Content is null ? null : JsonDocument.Parse(await request.Content.ReadAsStringAsync(cancellationToken)).RootElement.Clone();
        Requests.Add(new(request.Method, request.RequestUri!, request.Headers.Authorization?.ToString(), body));
        if (_refusal is { } refuse) return refuse();
        if (!request.RequestUri!.Query.Contains("api-version=7.4", StringComparison.Ordinal))
            return Json(HttpStatusCode.BadRequest, """{"error":{"code":"BadParameter","message":"The api-version is missing or not supported."}}""");

        // /keys/{name}, /keys/{name}/versions, /keys/{name}/{version}, /keys/{name}/{version}/sign
        var path = request.RequestUri.AbsolutePath.Trim('/').Split('/');
        if (path is not ["keys", KeyName, ..]) return NotFound($"A key with (name/id) {string.Join('/', path.Skip(1))} was not found in this key vault.");
        return (request.Method.Method, path[2..]) switch
        {
            ("GET", []) => KeyBundle(_versions[^1]),
            ("GET", ["versions"]) => Json(HttpStatusCode.OK, new JsonObject
            {
                ["value"] = new JsonArray([.. _versions.Select(v => new JsonObject { ["kid"] = KidOf(v.Version), ["attributes"] = new JsonObject { ["enabled"] = v.Enabled } })]),
                ["nextLink"] = null,
            }.ToJsonString()),
            ("GET", [var version]) when Find(version) is { } v => KeyBundle(v),
            ("POST", [var version, "sign"]) when Find(version) is { Enabled: true } v => Json(HttpStatusCode.OK, new JsonObject
            {
                ["kid"] = KidOf(v.Version),
                ["value"] = Base64Url.EncodeToString(v.Key.SignHash(Base64Url.DecodeFromChars(body!.Value.GetProperty("value").GetString()), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)),
            }.ToJsonString()),
            ("POST", [_, "sign"]) => Json(HttpStatusCode.Forbidden, """{"error":{"code":"Forbidden","message":"Operation sign is not allowed on a disabled key."}}"""),
            _ => NotFound($"A key with (name/id) {KeyName}/{string.Join('/', path[2..])} was not found in this key vault."),
        };
    }

    private (string Version, RSA Key, bool Enabled)? Find(string version) => _versions.FindIndex(v => v.Version == version) is var i and >= 0 ? _versions[i] : null;

    private static string KidOf(string version) => $"{VaultUri}keys/{KeyName}/{version}";

    private static HttpResponseMessage KeyBundle((string Version, RSA Key, bool Enabled) v)
    {
        var p = v.Key.ExportParameters(false);
        // Key Vault's n carries a leading zero octet when its top bit is set, as a signed integer would.
        var n = (p.Modulus![0] & 0x80) != 0 ? [0, .. p.Modulus] : p.Modulus;
        return Json(HttpStatusCode.OK, new JsonObject
        {
            ["key"] = new JsonObject
            {
                ["kid"] = KidOf(v.Version), ["kty"] = "RSA", ["key_ops"] = new JsonArray("sign", "verify"),
                ["n"] = Base64Url.EncodeToString(n), ["e"] = Base64Url.EncodeToString(p.Exponent),
            },
            ["attributes"] = new JsonObject { ["enabled"] = v.Enabled, ["exportable"] = false, ["recoveryLevel"] = "Recoverable" },
        }.ToJsonString());
    }

    private static HttpResponseMessage NotFound(string message) => Error(HttpStatusCode.NotFound, "KeyNotFound", message);

    private static HttpResponseMessage Error(HttpStatusCode status, string code, string message)
        => Json(status, new JsonObject { ["error"] = new JsonObject { ["code"] = code, ["message"] = message } }.ToJsonString());

    private static HttpResponseMessage Json(HttpStatusCode status, string body) => new(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };

    protected override void Dispose(bool disposing)
    {
        if (disposing) foreach (var v in _versions) v.Key.Dispose();
        base.Dispose(disposing);
    }
}
