using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CredentialFunctions.Adapters.Access;
using CredentialFunctions.Adapters.Cosmos;
using CredentialFunctions.App.OpenApi;
using CredentialFunctions.Application;
using CredentialFunctions.Application.Access;
using CredentialFunctions.Application.Integrations;
using CredentialFunctions.LocalHost;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CredentialFunctions.Testing.Api;

/// <summary>
/// The local host, composed exactly as `run` composes it, against a real local Cosmos server and a
/// fresh database. In memory (TestServer) by default; on a real Kestrel port for end-to-end tests.
/// Its client refuses any answer the API's OpenAPI document does not describe, so every API test
/// also checks the document.
/// </summary>
public sealed class ApiHost : IAsyncDisposable
{
    public const string LmsSecret = "test-lms-secret";
    public const string ExamSecret = "test-exam-secret";
    public const string XapiSecret = "test-xapi-secret";
    public const string XapiLmsHomePage = "https://lms.example.org";
    public const string ScimSecret = "test-scim-secret";
    public const string Audience = "api://credential-functions-tests";
    public static readonly string SigningKey = Convert.ToBase64String(SHA256.HashData("test signing key"u8));
    public const string IssuerName = "Test Certification Body";

    /// <summary>The issuer's development key, made once per test run: no private key is committed.</summary>
    public static readonly string IssuerKey = NewIssuerKey();

    public static string NewIssuerKey()
    {
        using var rsa = RSA.Create(2048);
        return rsa.ExportPkcs8PrivateKeyPem();
    }

    /// <summary>The audit anchors' development key of every test host: a record one host sealed verifies on another.</summary>
    public static readonly string AnchorKey = Convert.ToBase64String(SHA256.HashData("test anchor key"u8));

    /// <summary>The document the app serves; every answer a test receives through <see cref="Client"/> is checked against it.</summary>
    public static readonly OpenApiContract Contract = new(OpenApiDescription.Json);

    private readonly WebApplication _app;
    private readonly LocalCosmosServer? _ownedCosmos;

    public HttpClient Client { get; }
    public IServiceProvider Services => _app.Services;
    public Uri? BaseAddress { get; }

    /// <summary>The local Cosmos server this host uses, for another host to share.</summary>
    public Uri CosmosEndpoint { get; }

    /// <summary>The JSON-lines file the host's events go to (unless a test configures Service Bus).</summary>
    public string EventLogPath => Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<CredentialFunctions.Adapters.Events.EventOptions>>().Value.LocalLogPath;

    /// <summary>The CloudEvents the host published about one subject ("applications/app-..."), from <see cref="EventLogPath"/>, oldest first.</summary>
    public IReadOnlyList<JsonElement> PublishedEventsAbout(string subject)
        => File.Exists(EventLogPath)
            ? [.. File.ReadAllLines(EventLogPath).Select(l => JsonDocument.Parse(l).RootElement.Clone()).Where(e => e.GetProperty("subject").GetString() == subject)]
            : [];

    private ApiHost(WebApplication app, HttpClient client, Uri? baseAddress, Uri cosmosEndpoint, LocalCosmosServer? ownedCosmos)
    {
        _app = app;
        Client = client;
        BaseAddress = baseAddress;
        CosmosEndpoint = cosmosEndpoint;
        _ownedCosmos = ownedCosmos;
    }

    /// <param name="cosmosEndpoint">A running local Cosmos server to share; null starts one for this host.</param>
    /// <param name="overrides">Settings and services a test wants different (e.g. a fake clock).</param>
    public static async Task<ApiHost> StartAsync(Uri? cosmosEndpoint = null, bool kestrel = false,
        IDictionary<string, string?>? settings = null, Action<IServiceCollection>? overrides = null)
    {
        var owned = cosmosEndpoint is null ? await LocalCosmosServer.StartAsync() : null;
        cosmosEndpoint ??= owned!.Endpoint;
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Cosmos:AccountEndpoint"] = cosmosEndpoint.ToString(),
            ["Cosmos:AccountKey"] = LocalCosmosServer.AccountKey,
            ["Cosmos:DatabaseName"] = "test-" + Guid.NewGuid().ToString("N")[..12],
            ["Cosmos:CreateIfMissing"] = "true",
            ["Access:Audience"] = Audience,
            ["Access:DevelopmentSigningKey"] = SigningKey,
            ["AuditAnchors:DevelopmentKey"] = AnchorKey,
            ["Webhooks:Lms:SigningSecret"] = LmsSecret,
            ["Webhooks:Exams:SigningSecret"] = ExamSecret,
            ["Webhooks:Xapi:SigningSecret"] = XapiSecret,
            ["Webhooks:Xapi:LmsAccountHomePage"] = XapiLmsHomePage,
            ["Scim:BearerSecret"] = ScimSecret,
            ["Links:PublicBaseUrl"] = "http://localhost:7071",
            ["Signing:DevelopmentKey"] = IssuerKey,
            ["Issuer:Name"] = IssuerName,
            // Every test writes as the same caller, far faster than a person could; the limit itself is tested with its own host.
            ["RateLimit:WritesPerMinutePerCaller"] = "1000000",
            ["Events:Source"] = "http://localhost:7071",
            // As the local host does with no Service Bus namespace: events land in a file, this host's own.
            ["Events:LocalLogPath"] = Path.Combine(Path.GetTempPath(), "credential-functions-tests", Guid.NewGuid().ToString("N") + ".events.jsonl"),
        });
        if (settings is not null) builder.Configuration.AddInMemoryCollection(settings);
        Uri? baseAddress = null;
        if (kestrel)
        {
            baseAddress = new Uri($"http://127.0.0.1:{LocalCosmosServer.FreePort()}");
            builder.WebHost.UseUrls(baseAddress.ToString());
        }
        else
        {
            builder.WebHost.UseTestServer();
        }
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        overrides?.Invoke(builder.Services);
        var app = LocalHostBuilder.Build(builder);
        await LocalHostBuilder.EnsureStoreAsync(app);
        await app.StartAsync();
        var server = kestrel ? null : app.GetTestServer();
        var client = new HttpClient(new DescribedAnswersOnly(Contract) { InnerHandler = server?.CreateHandler() ?? new SocketsHttpHandler() })
        {
            BaseAddress = baseAddress ?? server!.BaseAddress,
        };
        return new ApiHost(app, client, baseAddress, cosmosEndpoint, owned);
    }

    public static string TokenFor(Role role, string subject = "tester", string? learnerId = null)
        => BearerTokenAuthenticator.MintDevelopmentToken(new AccessOptions { Audience = Audience, DevelopmentSigningKey = SigningKey }, subject, [role], learnerId, TimeSpan.FromHours(1));

    public HttpRequestMessage Request(HttpMethod method, string path, object? body = null, Role? role = null, string? learnerId = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = Json(body);
        if (role is { } r) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TokenFor(r, learnerId: learnerId));
        return request;
    }

    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, object? body = null, Role? role = null, string? learnerId = null)
        => Client.SendAsync(Request(method, path, body, role, learnerId));

    /// <summary>
    /// Reads a resource until it says what the test waits for: what the app does after answering (an
    /// orchestration's steps, an outbox entry marked sent after its email went) lands a moment later.
    /// Generous, as two busy cores may take minutes.
    /// </summary>
    public async Task<JsonElement> ReadUntilAsync(string path, Func<JsonElement, bool> condition, Role role = Role.Auditor)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(10);
        while (true)
        {
            using var response = await SendAsync(HttpMethod.Get, path, role: role);
            var resource = await ReadJsonAsync(response);
            if (response.StatusCode != System.Net.HttpStatusCode.OK) throw new InvalidOperationException($"GET {path} answered {(int)response.StatusCode}: {resource}");
            if (condition(resource)) return resource;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"GET {path} did not get there in time: {resource}");
            await Task.Delay(100);
        }
    }

    /// <summary>A signed LMS webhook delivery, as an LMS would send it.</summary>
    public HttpRequestMessage SignedLms(string rawBody, DateTimeOffset? signedAt = null, string secret = LmsSecret)
        => Signed("/api/webhooks/lms/completions", rawBody, secret, signedAt);

    /// <summary>A signed exam result delivery, as the exam provider would send it.</summary>
    public static HttpRequestMessage SignedExamResult(string rawBody, DateTimeOffset? signedAt = null, string secret = ExamSecret)
        => Signed("/api/webhooks/exams/results", rawBody, secret, signedAt);

    /// <summary>A webhook delivery signed with an integration's shared secret (<see cref="WebhookSignature"/>).</summary>
    public static HttpRequestMessage Signed(string path, string rawBody, string secret, DateTimeOffset? signedAt = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(rawBody, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation(WebhookSignature.Header,
            WebhookSignature.Sign(secret, (signedAt ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds(), Encoding.UTF8.GetBytes(rawBody)));
        return request;
    }

    /// <summary>Creates a program as a program manager and returns its id.</summary>
    public async Task<string> CreateProgramAsync(object? body = null)
    {
        using var response = await SendAsync(HttpMethod.Post, "/api/programs", body ?? Bodies.Program(), Role.ProgramManager);
        var json = await ReadJsonAsync(response);
        return response.StatusCode == System.Net.HttpStatusCode.Created
            ? json.GetProperty("programId").GetString()!
            : throw new InvalidOperationException($"Creating a program failed with {(int)response.StatusCode}: {json}");
    }

    /// <summary>
    /// Edits a stored credential's document as someone with write access to the database would:
    /// straight into the container, past the app, its audit chain and its anchor.
    /// </summary>
    public async Task EditBehindTheAppsBackAsync(string certificateId, Action<System.Text.Json.Nodes.JsonNode> edit)
    {
        var container = Services.GetRequiredService<CredentialDatabase>().Container(CosmosLayout.Credentials);
        var partition = new Microsoft.Azure.Cosmos.PartitionKey(certificateId);
        using var read = await container.ReadItemStreamAsync(certificateId, partition);
        var document = System.Text.Json.Nodes.JsonNode.Parse(read.Content)!;
        edit(document);
        using var replaced = await container.ReplaceItemStreamAsync(new MemoryStream(Encoding.UTF8.GetBytes(document.ToJsonString())), certificateId, partition);
        if (!replaced.IsSuccessStatusCode) throw new InvalidOperationException($"The edit was refused with {(int)replaced.StatusCode}.");
    }

    /// <summary>Issues a credential the way production does, through a signed passing LMS completion; returns its certificate id.</summary>
    public async Task<string> IssueAsync(string programId, Dictionary<string, object?>? completion = null)
    {
        using var response = await Client.SendAsync(SignedLms(JsonSerializer.Serialize(completion ?? Bodies.Completion(programId), CredentialJson.Options)));
        var json = await ReadJsonAsync(response);
        return json.TryGetProperty("certificateId", out var id) && id.GetString() is { } certificateId
            ? certificateId
            : throw new InvalidOperationException($"The completion issued nothing ({(int)response.StatusCode}): {json}");
    }

    /// <summary>How many documents a container holds: "and changes nothing" is checked against the store, not assumed.</summary>
    public async Task<int> CountAsync(ContainerLayout layout)
    {
        var container = Services.GetRequiredService<CredentialDatabase>().Container(layout);
        using var iterator = container.GetItemQueryIterator<int>("SELECT VALUE COUNT(1) FROM c");
        var total = 0;
        while (iterator.HasMoreResults) total += (await iterator.ReadNextAsync()).Sum();
        return total;
    }

    /// <summary>Every document a container holds, as the store returns it: what a write left is read from the store, not from the API.</summary>
    public async Task<IReadOnlyList<string>> DocumentsAsync(ContainerLayout layout)
    {
        var container = Services.GetRequiredService<CredentialDatabase>().Container(layout);
        using var iterator = container.GetItemQueryStreamIterator("SELECT * FROM c");
        var documents = new List<string>();
        while (iterator.HasMoreResults)
        {
            using var page = await iterator.ReadNextAsync();
            page.EnsureSuccessStatusCode();
            using var body = await JsonDocument.ParseAsync(page.Content);
            documents.AddRange(body.RootElement.GetProperty("Documents").EnumerateArray().Select(d => d.GetRawText()));
        }
        return documents;
    }

    /// <summary>
    /// Counts of every container of records, to compare before and after a refused request. Not the
    /// access log: the reads a test makes to check "nothing changed" are themselves logged there.
    /// </summary>
    public async Task<string> SnapshotCountsAsync()
        => string.Join(", ", await Task.WhenAll(CosmosLayout.All.Where(l => l != CosmosLayout.AccessLog).Select(async l => $"{l.Name}={await CountAsync(l)}")));

    public static StringContent Json(object body)
        => new(body as string ?? JsonSerializer.Serialize(body, CredentialJson.Options), Encoding.UTF8, "application/json");

    public static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response)
        => JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        if (_ownedCosmos is not null) await _ownedCosmos.DisposeAsync();
    }
}
