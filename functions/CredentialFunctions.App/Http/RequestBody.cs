using System.Text.Json;
using CredentialFunctions.Application;
using CredentialFunctions.Application.Access;
using Microsoft.AspNetCore.Http;

namespace CredentialFunctions.App.Http;

/// <summary>An edge-level refusal (size, media type, headers) that already knows its problem details.</summary>
public sealed class RequestRejectedException(Problem problem) : Exception(problem.Detail)
{
    public Problem Problem { get; } = problem;
}

public static class RequestBody
{
    /// <summary>Generous for any JSON this API takes; a cap keeps one request from tying up memory.</summary>
    public const int MaxBytes = 256 * 1024;

    private const string CallerKey = "credential-functions.caller";

    /// <summary>Reads the raw body up to <paramref name="maxBytes"/>, and leaves it readable again for the function.</summary>
    public static async Task<byte[]> ReadBytesAsync(HttpRequest request, CancellationToken cancellationToken, int maxBytes = MaxBytes)
    {
        if (request.ContentLength > maxBytes) throw new RequestRejectedException(Problems.PayloadTooLarge(maxBytes));
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes) throw new RequestRejectedException(Problems.PayloadTooLarge(maxBytes));
            buffer.Write(chunk, 0, read);
        }
        var bytes = buffer.ToArray();
        request.Body = new MemoryStream(bytes, writable: false);
        return bytes;
    }

    public static async Task<T> ReadJsonAsync<T>(HttpRequest request, CancellationToken cancellationToken, int maxBytes = MaxBytes) where T : class
    {
        if (!IsJson(request)) throw new RequestRejectedException(Problems.UnsupportedMediaType());
        var bytes = await ReadBytesAsync(request, cancellationToken, maxBytes);
        if (bytes.Length == 0) throw new RequestRejectedException(Problems.Validation(new Dictionary<string, string[]> { ["body"] = ["A JSON body is required."] }));
        return JsonSerializer.Deserialize<T>(bytes, CredentialJson.Options)
            ?? throw new RequestRejectedException(Problems.Validation(new Dictionary<string, string[]> { ["body"] = ["A JSON object is required, not null."] }));
    }

    public static bool IsJson(HttpRequest request) => MediaType(request) is { } type && (type.Equals("application/json", StringComparison.OrdinalIgnoreCase) || type.EndsWith("+json", StringComparison.OrdinalIgnoreCase));

    public static string? MediaType(HttpRequest request) => request.ContentType?.Split(';')[0].Trim();

    public static void SetCaller(this HttpContext context, Caller caller) => context.Items[CallerKey] = caller;

    /// <summary>The caller the pipeline admitted; a function marked with an access attribute always has one.</summary>
    public static Caller Caller(this HttpRequest request)
        => request.HttpContext.Items[CallerKey] as Caller ?? throw new InvalidOperationException("The HTTP pipeline did not run for this request.");
}
