using System.Text.Json;
using CredentialFunctions.Application.Hr;

namespace CredentialFunctions.App.Http;

/// <summary>Answers of the SCIM routes: application/scim+json (RFC 7644 §3.1), and refusals as SCIM errors rather than problem details.</summary>
public static class ScimResponses
{
    public const string MediaType = "application/scim+json";

    public static JsonResponse Ok(object body, int status = 200) => new(body, status, MediaType);

    public static JsonResponse Error(int status, string? scimType, string detail) => new(ScimError.Of(status, scimType, detail), status, MediaType);

    /// <summary>
    /// Any failure of a SCIM route, in the words its problem would use: a SCIM refusal as it is, a
    /// body that is not JSON as invalidSyntax, a value a rule refuses as invalidValue.
    /// </summary>
    public static JsonResponse FromException(Exception exception)
    {
        if (exception is ScimException scim) return Error(scim.Status, scim.ScimType, scim.Message);
        var problem = Problems.FromException(exception);
        var scimType = problem.Status != 400 ? null : exception is JsonException or RequestRejectedException ? ScimErrorType.InvalidSyntax : ScimErrorType.InvalidValue;
        var detail = problem.Errors is { Count: > 0 } errors
            ? $"{problem.Detail} {string.Join(" ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}"))}"
            : problem.Detail;
        return Error(problem.Status, scimType, detail);
    }
}
