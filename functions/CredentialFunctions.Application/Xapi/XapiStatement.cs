using System.Text.Json.Serialization;
using CredentialFunctions.Domain;
using CredentialFunctions.Domain.Programs;

namespace CredentialFunctions.Application.Xapi;

/// <summary>
/// An xAPI statement (1.0.3 and 2.0 share this shape) as far as issuance reads it; every other
/// property (verb display, activity definition, context, authority, attachments) is skipped. Every
/// field is optional here so that a statement missing one is named by <see cref="Validate"/> rather
/// than failing the whole body in the JSON reader.
/// </summary>
public sealed record XapiStatement(
    string? Id = null,
    XapiActor? Actor = null,
    XapiVerb? Verb = null,
    XapiObject? Object = null,
    XapiResult? Result = null,
    DateTimeOffset? Timestamp = null,
    DateTimeOffset? Stored = null)
{
    /// <summary>
    /// What an LRS would refuse the statement for (xAPI 1.0.3 §2.4 / 2.0 §2.4), and what we need to be
    /// idempotent (an id). An LRS forwards only statements it stored, so a statement failing these is
    /// not a forward and the whole request is refused.
    /// </summary>
    public void Validate(ValidationErrors errors, string at)
    {
        if (!Guid.TryParse(Id, out _)) errors.Add($"{at}.id", "A statement id (a UUID) is required: statements are recorded once per id.");
        if (Actor is null) errors.Add($"{at}.actor", "Required: an Agent or a Group.");
        else Actor.Validate(errors, $"{at}.actor");
        if (!XapiActivities.IsAbsoluteIri(Verb?.Id)) errors.Add($"{at}.verb.id", "Required: the verb's IRI, e.g. http://adlnet.gov/expapi/verbs/passed.");
        if (Object is null) errors.Add($"{at}.object", "Required.");
        else if (Object.IsActivity && !XapiActivities.IsAbsoluteIri(Object.Id)) errors.Add($"{at}.object.id", "An activity's id is an absolute IRI.");
        Result?.Score?.Validate(errors, $"{at}.result.score");
    }
}

/// <summary>An Agent (one inverse functional identifier: mbox, mbox_sha1sum, openid or account) or a Group.</summary>
public sealed record XapiActor(
    string? ObjectType = null,
    string? Name = null,
    string? Mbox = null,
    [property: JsonPropertyName("mbox_sha1sum")] string? MboxSha1Sum = null,
    string? Openid = null,
    XapiAccount? Account = null)
{
    public bool IsGroup => ObjectType == "Group";

    public void Validate(ValidationErrors errors, string at)
    {
        if (ObjectType is not (null or "Agent" or "Group")) errors.Add($"{at}.objectType", "An actor is an Agent or a Group.");
        if (IsGroup) return;
        var identifiers = new object?[] { Mbox, MboxSha1Sum, Openid, Account }.Count(i => i is not null);
        if (identifiers != 1) errors.Add(at, "An Agent has exactly one of mbox, mbox_sha1sum, openid and account.");
        if (Mbox is not null && !Mbox.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase)) errors.Add($"{at}.mbox", "A mailto: IRI, e.g. mailto:ada@example.org.");
        if (Account is not null && (string.IsNullOrWhiteSpace(Account.Name) || !XapiActivities.IsAbsoluteIri(Account.HomePage)))
            errors.Add($"{at}.account", "An account has a name and the homePage (an absolute IRL) of the system it belongs to.");
    }
}

public sealed record XapiAccount(string? HomePage = null, string? Name = null);

public sealed record XapiVerb(string? Id = null);

/// <summary>The statement's object: an Activity (the default objectType), or an Agent, Group, StatementRef or SubStatement, which never complete a program.</summary>
public sealed record XapiObject(string? ObjectType = null, string? Id = null)
{
    public bool IsActivity => ObjectType is null or "Activity";
}

public sealed record XapiResult(XapiScore? Score = null, bool? Success = null, bool? Completion = null);

/// <summary>xAPI's score: <c>scaled</c> from −1 to 1, and <c>raw</c> between <c>min</c> and <c>max</c>.</summary>
public sealed record XapiScore(decimal? Scaled = null, decimal? Raw = null, decimal? Min = null, decimal? Max = null)
{
    public void Validate(ValidationErrors errors, string at)
    {
        if (Scaled is < -1 or > 1) errors.Add($"{at}.scaled", "A scaled score is from -1 to 1.");
        if (Min is { } min && Max is { } max && min >= max) errors.Add($"{at}.min", "min is less than max.");
        if (Raw is { } raw && ((Min is { } low && raw < low) || (Max is { } high && raw > high))) errors.Add($"{at}.raw", "raw lies between min and max.");
    }

    /// <summary>
    /// The score on our 0–100 scale: <c>scaled</c> × 100 (a negative scaled score counts as 0), or
    /// where an LMS sends no scaled score, <c>raw</c>'s place between <c>min</c> and <c>max</c>; null when neither is given.
    /// </summary>
    public decimal? Percent()
        => Scaled is { } scaled ? Math.Max(0, scaled) * 100
            : Raw is { } raw && Min is { } min && Max is { } max && max > min ? (raw - min) / (max - min) * 100
            : null;
}
