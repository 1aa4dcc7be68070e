using System.Text.Json;
using System.Text.RegularExpressions;
using CredentialFunctions.Application.Access;
using CredentialFunctions.Application.Badges;
using CredentialFunctions.Application.Issuance;
using CredentialFunctions.Application.Payments;
using CredentialFunctions.Application.Ports;
using CredentialFunctions.Application.Verification;
using CredentialFunctions.Domain;
using CredentialFunctions.Domain.Applications;
using CredentialFunctions.Domain.Credentials;
using Microsoft.AspNetCore.Http;

namespace CredentialFunctions.App.Http;

/// <summary>The one place where failures become problem details: by exception type, never by message text.</summary>
public static class Problems
{
    // URNs, not URLs: a problem type is an identifier; the README lists each one and what to do about it.
    private const string TypeBase = "urn:credential-functions:problem:";

    public static Problem Validation(IReadOnlyDictionary<string, string[]> errors, string detail = "One or more fields are invalid; see errors.")
        => new(TypeBase + "validation", "The request is invalid", StatusCodes.Status400BadRequest, detail, Errors: errors);

    public static Problem Unauthenticated(string detail) => new(TypeBase + "unauthenticated", "Authentication required", StatusCodes.Status401Unauthorized, detail);

    public static Problem Forbidden(string detail) => new(TypeBase + "forbidden", "Not allowed", StatusCodes.Status403Forbidden, detail);

    public static Problem PayloadTooLarge(long limit) => new(TypeBase + "payload-too-large", "The request body is too large", StatusCodes.Status413PayloadTooLarge, $"Send at most {limit:N0} bytes.");

    public static Problem UnsupportedMediaType() => new(TypeBase + "unsupported-media-type", "Send JSON", StatusCodes.Status415UnsupportedMediaType, "The request body must be application/json.");

    public static Problem TooManyRequests(TimeSpan retryAfter) => new(TypeBase + "rate-limited", "Too many requests", StatusCodes.Status429TooManyRequests, $"Try again in {Math.Ceiling(retryAfter.TotalSeconds)} seconds.");

    public static Problem BadSignature(string detail) => new(TypeBase + "bad-signature", "The webhook signature is not valid", StatusCodes.Status401Unauthorized, detail);

    public static Problem PreconditionRequired(string detail) => new(TypeBase + "precondition-required", "If-Match is required", StatusCodes.Status428PreconditionRequired, detail);

    public static Problem InvalidIfMatch(string detail) => new(TypeBase + "invalid-if-match", "The If-Match header is invalid", StatusCodes.Status400BadRequest, detail);

    public static Problem FromException(Exception exception) => exception switch
    {
        RequestRejectedException r => r.Problem,
        ValidationFailedException v => Validation(v.Errors),
        JsonException j => Validation(JsonErrors(j), "The body is not valid JSON of the expected shape; see errors."),
        MistypedCertificateIdException { Failure: CertificateId.ParseFailure.CheckSymbolMismatch } m =>
            new(TypeBase + "mistyped-certificate-id", "The certificate id looks mistyped", StatusCodes.Status400BadRequest, m.Message),
        MistypedCertificateIdException m => new(TypeBase + "malformed-certificate-id", "That is not a certificate id", StatusCodes.Status400BadRequest, m.Message),
        UnknownReferenceException u => new(TypeBase + "unknown-reference", "The request refers to something that does not exist", StatusCodes.Status422UnprocessableEntity, u.Message,
            Errors: new Dictionary<string, string[]> { [u.Field] = [u.Message] }),
        RecordTooLargeException r => new(TypeBase + "record-too-large", "The record is full", StatusCodes.Status422UnprocessableEntity,
            r.Message + " Ask an administrator: the record must be trimmed or superseded before it can change again."),
        UnverifiableRecordException u => new(TypeBase + "record-unverifiable", "The record fails its tamper check", StatusCodes.Status409Conflict, u.Message),
        NotFoundException n => new(TypeBase + "not-found", $"{n.What} not found", StatusCodes.Status404NotFound, n.Message),
        AccessDeniedException a => Forbidden(a.Message),
        IllegalApplicationTransitionException t => new(TypeBase + "application-transition", "Not possible in the application's current state", StatusCodes.Status409Conflict, t.Message,
            Possible: [.. t.Possible.Select(a => JsonNamingPolicy.CamelCase.ConvertName(a.ToString()))]),
        PaymentSignatureException s => BadSignature(s.Message),
        PaymentProviderException p => new(TypeBase + "payment-provider", "The payment provider is not available", StatusCodes.Status503ServiceUnavailable,
            p.IsTransient ? p.Message + " Try again shortly." : p.Message),
        ProgramHeldException h => new(TypeBase + "program-held", "Another credential holds the program", StatusCodes.Status409Conflict, h.Message),
        InvalidTransitionException t => new(TypeBase + "invalid-transition", "Not possible in the credential's current state", StatusCodes.Status409Conflict, t.Message),
        LimitReachedException l => new(TypeBase + "limit-reached", "The record holds the most it may", StatusCodes.Status409Conflict, l.Message,
            Errors: new Dictionary<string, string[]> { [l.Limit] = [$"At most {l.Maximum}."] }),
        ConcurrencyConflictException c => new(TypeBase + "conflict", "Changed by someone else", StatusCodes.Status412PreconditionFailed, c.Message),
        _ => new(TypeBase + "internal", "Something went wrong on our side", StatusCodes.Status500InternalServerError, "The error was logged; retrying later is safe: every write is idempotent or guarded."),
    };

    /// <summary>
    /// System.Text.Json's messages name .NET types; a caller needs the JSON field and what is wrong
    /// with it, so the two messages that matter (missing, null) are re-worded per field.
    /// </summary>
    private static Dictionary<string, string[]> JsonErrors(JsonException j)
    {
        // The reader's own exception inside means broken syntax rather than a wrong shape.
        if (j.InnerException is JsonException)
            return new() { ["body"] = [$"The body is not valid JSON (line {j.LineNumber + 1}, byte {j.BytePositionInLine + 1})."] };
        var missing = Regex.Match(j.Message, @"missing required properties including: (.+)\.$");
        if (missing.Success)
        {
            var prefix = FieldOf(j.Path) is "body" ? "" : FieldOf(j.Path) + ".";
            return Regex.Matches(missing.Groups[1].Value, "'([^']+)'")
                .ToDictionary(m => prefix + m.Groups[1].Value, _ => new[] { "Required." });
        }
        var nulled = Regex.Match(j.Message, "parameter '([^']+)' on type '[^']+' doesn't allow null");
        if (nulled.Success) return new() { [FieldOf(j.Path)] = ["Required; null is not allowed."] };
        return new() { [FieldOf(j.Path)] = [j.Path is null ? "The body is not valid JSON." : "This value has the wrong type or format."] };
    }

    private static string FieldOf(string? jsonPath)
        => string.IsNullOrEmpty(jsonPath) || jsonPath == "$" ? "body" : jsonPath.StartsWith("$.", StringComparison.Ordinal) ? jsonPath[2..] : jsonPath;
}
