using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;

namespace CredentialFunctions.Testing.Api;

/// <summary>
/// The API's OpenAPI document as a contract a real answer is checked against: the operation its
/// route and verb match, the response its status and media type name, and that response's JSON
/// Schema (OpenAPI 3.1 schemas are JSON Schema 2020-12) evaluated on the body.
/// </summary>
public sealed class OpenApiContract
{
    private readonly JsonObject _document;
    private readonly string _serverPath;
    private readonly List<(Regex Pattern, string Path)> _paths;

    public OpenApiContract(string json)
    {
        _document = JsonNode.Parse(json)!.AsObject();
        _serverPath = _document["servers"]?[0]?["url"]?.GetValue<string>() ?? "";
        _paths = _document["paths"]!.AsObject()
            .Select(p => (new Regex("^" + Regex.Replace(Regex.Escape(p.Key), @"\\\{\w+}", "[^/]+") + "$"), p.Key))
            .ToList();
    }

    /// <summary>"GET /verify/{certificateId}" for every operation in the document.</summary>
    public IReadOnlyList<string> Operations
        => _document["paths"]!.AsObject()
            .SelectMany(p => p.Value!.AsObject().Select(o => $"{o.Key.ToUpperInvariant()} {p.Key}"))
            .ToList();

    /// <summary>Null when the answer is one the document describes (or no operation's), else what does not match.</summary>
    public async Task<string?> ViolationAsync(HttpMethod method, string requestPath, HttpResponseMessage response)
    {
        var status = ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var described = $"{method} {requestPath} answered {status}";
        // No operation matches: routing answered (404, 405) before any function ran, and every function has an operation (a test says so).
        if (!requestPath.StartsWith(_serverPath + "/", StringComparison.Ordinal)) return null;
        var path = requestPath[_serverPath.Length..];
        var template = _paths.FirstOrDefault(p => p.Pattern.IsMatch(path)).Path;
        if (template is null || _document["paths"]![template]![method.Method.ToLowerInvariant()] is not JsonObject operation) return null;
        if (operation["responses"]![status] is not JsonObject answer) return $"{described}: the operation does not describe {status}";
        if (answer["content"] is null && response.Content.Headers.ContentLength is null or 0) return null;
        var mediaType = response.Content.Headers.ContentType?.MediaType ?? "";
        if (answer["content"]?[mediaType]?["schema"] is not { } schema) return $"{described} as {mediaType}: the response describes no such content";
        var body = await response.Content.ReadAsStringAsync();
        if (mediaType is not ("application/json" or "application/problem+json" or "application/scim+json")) return null;

        var results = SchemaWithComponents(schema).Evaluate(JsonDocument.Parse(body).RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (results.IsValid) return null;
        var errors = (results.Details ?? [])
            .Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"));
        return $"{described}: the body does not match {template}'s {status} schema: {string.Join("; ", errors)}\n{body}";
    }

    /// <summary>The response's schema with the document's components beside it, where its "#/components/schemas/…" references point.</summary>
    private JsonSchema SchemaWithComponents(JsonNode schema)
    {
        var root = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["components"] = _document["components"]!.DeepClone(),
            ["allOf"] = new JsonArray(schema.DeepClone()),
        };
        return JsonSchema.Build(JsonDocument.Parse(root.ToJsonString()).RootElement,
            new BuildOptions { SchemaRegistry = new SchemaRegistry() }, new Uri($"urn:openapi-contract:{Guid.NewGuid():N}"));
    }
}
