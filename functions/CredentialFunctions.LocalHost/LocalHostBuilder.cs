using System.Text.Json;
using CredentialFunctions.Adapters.Cosmos;
using CredentialFunctions.Adapters.Documents;
using CredentialFunctions.App;
using Microsoft.AspNetCore.HttpOverrides;

namespace CredentialFunctions.LocalHost;

/// <summary>Builds the local host: the settings the Functions app would read, the same composition, the function routes.</summary>
public static class LocalHostBuilder
{
    /// <summary>
    /// The Functions app's own local settings: functions/CredentialFunctions.App/local.settings.json
    /// when a developer made one, else the committed sample. "Values" keys use the same
    /// double-underscore names as Azure app settings.
    /// </summary>
    public static Dictionary<string, string?> FunctionsLocalSettings()
    {
        var root = RepositoryRoot.Find();
        var own = Path.Combine(root, "functions", "CredentialFunctions.App", "local.settings.json");
        var path = File.Exists(own) ? own : Path.Combine(root, "local.settings.sample.json");
        using var document = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        return document.RootElement.GetProperty("Values").EnumerateObject()
            .ToDictionary(p => p.Name.Replace("__", ":", StringComparison.Ordinal), p => (string?)p.Value.ToString());
    }

    public static WebApplication Build(WebApplicationBuilder builder)
    {
        builder.Services.AddCredentialServices(builder.Configuration);
        builder.Services.AddLocalRenewalWindows();
        builder.Services.AddRouting();
        var app = builder.Build();
        // As the Functions worker's ASP.NET Core integration does: the last X-Forwarded-For entry,
        // appended by a loopback proxy, becomes the client address, so the rate limits key the same way in both hosts.
        app.UseForwardedHeaders(new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor });
        app.MapHttpFunctions();
        return app;
    }

    /// <summary>Local runs create the database, its containers and the documents' blob container the Bicep templates create in Azure.</summary>
    public static async Task EnsureStoreAsync(WebApplication app, CancellationToken cancellationToken = default)
    {
        if (app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<CosmosOptions>>().Value.CreateIfMissing)
            await app.Services.GetRequiredService<CredentialDatabase>().EnsureCreatedAsync(cancellationToken);
        if (app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<DocumentOptions>>().Value.CreateIfMissing)
            await app.Services.GetRequiredService<BlobApplicationDocuments>().EnsureContainerAsync(cancellationToken);
    }
}
