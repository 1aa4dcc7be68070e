namespace CredentialFunctions.App.Http;

/// <summary>
/// The JSON body an HTTP function reads. The OpenAPI document takes the request schema from it, and
/// the problems every body can cause (400 validation, 413, 415) follow from it.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class AcceptsAttribute(Type body) : Attribute
{
    public Type Body { get; } = body;
}

/// <summary>
/// A status an HTTP function answers, with the body it writes then. A success needs a body type;
/// a refusal (4xx) is always a problem, so it names only the status. What the pipeline itself may
/// answer (401, 403, 429, 500) and what a body may cause need not be repeated: the document adds them.
/// A function that declares no success is missing from the description, and a test fails on it.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class AnswersAttribute : Attribute
{
    public AnswersAttribute(int status, Type body)
    {
        if (status is < 200 or >= 300) throw new ArgumentOutOfRangeException(nameof(status), status, "A body type describes a success; a refusal is a problem.");
        Status = status;
        Body = body;
    }

    public AnswersAttribute(int status)
    {
        if (status is < 400 or >= 600) throw new ArgumentOutOfRangeException(nameof(status), status, "A success needs its body type.");
        Status = status;
    }

    public int Status { get; }

    /// <summary>Null for a problem.</summary>
    public Type? Body { get; }

    /// <summary>
    /// The media type of a success body; JSON unless the function writes something else (the API
    /// reference page, a QR image). On a refusal: a media type it is also answered as, besides the
    /// problem (the verification page's "not found" page for a browser).
    /// </summary>
    public string ContentType { get; init; } = "application/json";
}
