namespace CredentialFunctions.Application.Hr;

/// <summary>The scimType values of RFC 7644 §3.12 that this endpoint answers.</summary>
public static class ScimErrorType
{
    public const string InvalidFilter = "invalidFilter";
    public const string InvalidSyntax = "invalidSyntax";
    public const string InvalidPath = "invalidPath";
    public const string InvalidValue = "invalidValue";
    public const string NoTarget = "noTarget";
    public const string Uniqueness = "uniqueness";
    public const string Mutability = "mutability";
}

/// <summary>A SCIM request refused as RFC 7644 §3.12 words it: the HTTP status and, for a 400 or 409, its scimType.</summary>
public sealed class ScimException(int status, string? scimType, string detail) : Domain.DomainException(detail)
{
    public int Status { get; } = status;
    public string? ScimType { get; } = scimType;

    public static ScimException BadRequest(string scimType, string detail) => new(400, scimType, detail);
}
