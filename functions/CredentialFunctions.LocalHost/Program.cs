using CredentialFunctions.Adapters.Access;
using CredentialFunctions.Application.Access;
using CredentialFunctions.LocalHost;

// `token --role Administrator [--sub alice] [--learner-id lms:42] [--hours 8]` prints a development
// bearer token signed with the local development key; anything else runs the API.
if (args.FirstOrDefault() == "token")
{
    var settings = LocalHostBuilder.FunctionsLocalSettings();
    var options = new AccessOptions
    {
        Audience = settings.GetValueOrDefault("Access:Audience") ?? new AccessOptions().Audience,
        DevelopmentSigningKey = settings.GetValueOrDefault("Access:DevelopmentSigningKey"),
    };
    string? Option(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
    var roles = args.Select((a, i) => (a, i)).Where(p => p.a == "--role").Select(p => Enum.Parse<Role>(args[p.i + 1], ignoreCase: true)).ToList();
    if (roles.Count == 0) roles.Add(Role.Administrator);
    Console.WriteLine(BearerTokenAuthenticator.MintDevelopmentToken(options, Option("--sub") ?? "local-developer", roles, Option("--learner-id"),
        TimeSpan.FromHours(double.Parse(Option("--hours") ?? "8", System.Globalization.CultureInfo.InvariantCulture))));
    return;
}

var builder = WebApplication.CreateBuilder(args);
builder.Configuration.AddInMemoryCollection(LocalHostBuilder.FunctionsLocalSettings());
builder.Configuration.AddEnvironmentVariables().AddCommandLine(args);
builder.WebHost.UseUrls(builder.Configuration["urls"] ?? "http://localhost:7071");

// With no Cosmos endpoint configured, run the local Cosmos-compatible server for the session.
await using var cosmos = string.IsNullOrWhiteSpace(builder.Configuration["Cosmos:AccountEndpoint"]) ? await LocalCosmosServer.StartAsync() : null;
if (cosmos is not null)
{
    builder.Configuration["Cosmos:AccountEndpoint"] = cosmos.Endpoint.ToString();
    builder.Configuration["Cosmos:AccountKey"] = LocalCosmosServer.AccountKey;
    builder.Configuration["Cosmos:CreateIfMissing"] = "true";
}

// With no email transport configured, run maildev for the session: every email lands in its web UI.
await using var mail = string.IsNullOrWhiteSpace(builder.Configuration["Email:Smtp:Host"]) && string.IsNullOrWhiteSpace(builder.Configuration["Email:Acs:Endpoint"])
    ? await LocalMailServer.StartAsync()
    : null;
if (mail is not null)
{
    builder.Configuration["Email:Smtp:Host"] = "127.0.0.1";
    builder.Configuration["Email:Smtp:Port"] = mail.SmtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
    builder.Configuration["Email:Smtp:Security"] = "None";
}

// With no documents storage configured, run Azurite's Blob service (in memory) for the session.
await using var blobs = string.IsNullOrWhiteSpace(builder.Configuration["Documents:ConnectionString"]) && string.IsNullOrWhiteSpace(builder.Configuration["Documents:BlobServiceUri"])
    ? await LocalBlobServer.StartAsync()
    : null;
if (blobs is not null)
{
    builder.Configuration["Documents:ConnectionString"] = blobs.ConnectionString;
    builder.Configuration["Documents:CreateIfMissing"] = "true";
}

// With no Service Bus namespace configured, events go to an append-only JSON-lines file (one CloudEvent a line).
if (string.IsNullOrWhiteSpace(builder.Configuration["ServiceBus:FullyQualifiedNamespace"]) && string.IsNullOrWhiteSpace(builder.Configuration["Events:LocalLogPath"]))
    builder.Configuration["Events:LocalLogPath"] = Path.Combine(RepositoryRoot.Find(), ".local", "events.jsonl");

// With no signing key configured, one for the session: the store forgets its credentials on exit
// anyway, and a private key in a settings file is one a developer may commit.
if (string.IsNullOrWhiteSpace(builder.Configuration["Signing:DevelopmentKey"]) && string.IsNullOrWhiteSpace(builder.Configuration["Signing:KeyVaultUri"]))
{
    using var sessionKey = System.Security.Cryptography.RSA.Create(2048);
    builder.Configuration["Signing:DevelopmentKey"] = sessionKey.ExportPkcs8PrivateKeyPem();
}

// With no anchor key configured, make one up for the session: nothing is committed, and the local
// store forgets its records when the host stops anyway. Against a real account, set one to keep records verifying.
if (string.IsNullOrWhiteSpace(builder.Configuration["AuditAnchors:KeyVaultUri"]) && string.IsNullOrWhiteSpace(builder.Configuration["AuditAnchors:DevelopmentKey"]))
    builder.Configuration["AuditAnchors:DevelopmentKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

var app = LocalHostBuilder.Build(builder);
await LocalHostBuilder.EnsureStoreAsync(app);
app.Logger.LogInformation("Serving {Count} HTTP functions on {Urls}; Cosmos at {Cosmos}; {Mail}; {Documents}; {Events}", CredentialFunctions.App.Http.HttpFunctionCatalog.All.Count,
    builder.Configuration["urls"] ?? "http://localhost:7071", builder.Configuration["Cosmos:AccountEndpoint"],
    mail is null ? "email by the configured transport" : $"every email lands in maildev at {mail.WebEndpoint}",
    blobs is null ? "documents in the configured storage" : $"documents in Azurite (in memory) at {blobs.BlobEndpoint}",
    builder.Configuration["Events:LocalLogPath"] is { Length: > 0 } eventLog ? $"every event is appended to {eventLog}" : "events to Service Bus");
await app.RunAsync();
