using System.Text.Json;
using CredentialFunctions.Application;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace CredentialFunctions.App.Http;

/// <summary>
/// A JSON response written with the API's one JSON contract. Both hosts (the Functions worker and
/// the local host) execute it the same way, with no MVC formatter configuration to keep in step.
/// </summary>
public sealed class JsonResponse(object? body, int statusCode = StatusCodes.Status200OK, string contentType = "application/json") : IActionResult
{
    public object? Body { get; } = body;
    public int StatusCode { get; } = statusCode;
    public Dictionary<string, string> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);

    public JsonResponse WithHeader(string name, string value)
    {
        Headers[name] = value;
        return this;
    }

    /// <summary>
    /// An ETag header from a store's opaque version: HTTP needs it quoted (RFC 9110), and stores
    /// differ in whether theirs already is (Azure Cosmos DB quotes, the local server does not).
    /// </summary>
    public JsonResponse WithETag(string storeVersion)
        => WithHeader("ETag", storeVersion.StartsWith('"') ? storeVersion : $"\"{storeVersion}\"");

    public async Task ExecuteResultAsync(ActionContext context)
    {
        var response = context.HttpContext.Response;
        response.StatusCode = StatusCode;
        foreach (var (name, value) in Headers) response.Headers[name] = value;
        if (Body is null) return;
        response.ContentType = contentType;
        await JsonSerializer.SerializeAsync(response.Body, Body, Body.GetType(), CredentialJson.Options, context.HttpContext.RequestAborted);
    }
}

/// <summary>RFC 9457 problem details.</summary>
/// <param name="Possible">For a refused application transition: the actions its state allows instead.</param>
public sealed record Problem(string Type, string Title, int Status, string Detail, string? Instance = null, IReadOnlyDictionary<string, string[]>? Errors = null,
    IReadOnlyList<string>? Possible = null)
{
    public JsonResponse ToResponse() => new(this, Status, "application/problem+json");
}

/// <summary>A body that is already text (the API description, its reference page, the verification and renewal pages), written as it is.</summary>
public sealed class TextResponse(string body, string contentType, int statusCode = StatusCodes.Status200OK) : IActionResult
{
    public Dictionary<string, string> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);

    public TextResponse WithHeader(string name, string value)
    {
        Headers[name] = value;
        return this;
    }

    public async Task ExecuteResultAsync(ActionContext context)
    {
        var response = context.HttpContext.Response;
        response.StatusCode = statusCode;
        foreach (var (name, value) in Headers) response.Headers[name] = value;
        response.ContentType = contentType;
        await response.WriteAsync(body, context.HttpContext.RequestAborted);
    }
}

/// <summary>A binary artifact (a QR code image, a PDF certificate or report), written as it is.</summary>
public sealed class BytesResponse(byte[] body, string contentType) : IActionResult
{
    public Dictionary<string, string> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);

    public BytesResponse WithHeader(string name, string value)
    {
        Headers[name] = value;
        return this;
    }

    public async Task ExecuteResultAsync(ActionContext context)
    {
        var response = context.HttpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        foreach (var (name, value) in Headers) response.Headers[name] = value;
        response.ContentType = contentType;
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body, context.HttpContext.RequestAborted);
    }
}

/// <summary>
/// A stored file sent as a download: copied from its source stream as it is read, never held
/// whole, with the file name the uploader gave (RFC 6266: an ASCII fallback and the UTF-8 name).
/// </summary>
public sealed class DownloadResponse(Stream content, string contentType, long length, string fileName) : IActionResult
{
    public async Task ExecuteResultAsync(ActionContext context)
    {
        await using var source = content;
        var response = context.HttpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = contentType;
        response.ContentLength = length;
        var disposition = new Microsoft.Net.Http.Headers.ContentDispositionHeaderValue("attachment");
        disposition.SetHttpFileName(fileName);
        response.Headers.ContentDisposition = disposition.ToString();
        // Evidence is personal: no shared cache keeps it; and the browser never second-guesses its type.
        response.Headers.CacheControl = "private, no-store";
        response.Headers.XContentTypeOptions = "nosniff";
        await source.CopyToAsync(response.Body, context.HttpContext.RequestAborted);
    }
}
