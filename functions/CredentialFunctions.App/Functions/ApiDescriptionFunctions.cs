using System.Text.Json.Nodes;
using CredentialFunctions.App.Http;
using CredentialFunctions.App.OpenApi;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace CredentialFunctions.App.Functions;

/// <summary>The API describes itself: its OpenAPI document, and a reference page that renders it in a browser.</summary>
public sealed class ApiDescriptionFunctions
{
    private static readonly Lazy<string> ReferencePage = new(() =>
    {
        using var stream = typeof(ApiDescriptionFunctions).Assembly.GetManifestResourceStream("ApiReference.html")
            ?? throw new InvalidOperationException("The API reference page is not embedded in the app.");
        return new StreamReader(stream).ReadToEnd();
    });

    [Function("OpenApiDocument")]
    [Anonymous]
    [Answers(StatusCodes.Status200OK, typeof(JsonObject))]
    public IActionResult Document([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "openapi.json")] HttpRequest request)
        => new TextResponse(OpenApiDescription.Json, "application/json");

    [Function("ApiReference")]
    [Anonymous]
    [Answers(StatusCodes.Status200OK, typeof(string), ContentType = "text/html")]
    public IActionResult Reference([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "docs")] HttpRequest request)
        // The browser itself refuses anything from elsewhere: the page needs only its own document.
        => new TextResponse(ReferencePage.Value, "text/html; charset=utf-8")
            .WithHeader("Content-Security-Policy", "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'");
}
