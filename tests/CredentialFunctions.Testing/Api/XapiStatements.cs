using System.Text;
using System.Text.Json;
using CredentialFunctions.Application;
using CredentialFunctions.Application.Integrations;

namespace CredentialFunctions.Testing.Api;

/// <summary>
/// xAPI statements shaped as the specifications' own examples, each test naming only what differs:
/// the xAPI 1.0.3 spec's Appendix A "completion" example (adlnet/xAPI-Spec, xAPI-Data.md: an mbox
/// actor, a scaled score, success and completion) and cmi5's sample statements
/// (AICC/CMI-5_Spec_Current, samples/scenarios/08-passed-masteryScore-passed: an AU's passed statement
/// with an account actor and a score, and the LMS's satisfied statement about the course, without one).
/// </summary>
public static class XapiStatements
{
    public const string Passed = "http://adlnet.gov/expapi/verbs/passed";
    public const string Completed = "http://adlnet.gov/expapi/verbs/completed";
    public const string Failed = "http://adlnet.gov/expapi/verbs/failed";
    public const string Attempted = "http://adlnet.gov/expapi/verbs/attempted";
    public const string Satisfied = "https://w3id.org/xapi/adl/verbs/satisfied";

    /// <summary>A fresh activity IRI, so programs of different tests never claim the same one.</summary>
    public static string NewActivity(string kind = "course") => $"http://example.adlnet.gov/xapi/example/{kind}/{Guid.NewGuid():N}";

    /// <summary>The spec's completion example: "Example Learner" by mailbox, a scaled score, success and completion.</summary>
    public static Dictionary<string, object?> SpecCompletion(string activity, string verb = Passed, decimal? scaled = 0.95m, string? email = null, string? id = null) => new()
    {
        ["id"] = id ?? Guid.NewGuid().ToString(),
        ["timestamp"] = DateTimeOffset.UtcNow.AddMinutes(-10).ToString("O"),
        ["actor"] = new Dictionary<string, object?> { ["objectType"] = "Agent", ["name"] = "Example Learner", ["mbox"] = "mailto:" + (email ?? $"learner-{Guid.NewGuid():N}@adlnet.example") },
        ["verb"] = new Dictionary<string, object?> { ["id"] = verb, ["display"] = new Dictionary<string, string> { ["en-US"] = verb[(verb.LastIndexOf('/') + 1)..] } },
        ["object"] = new Dictionary<string, object?>
        {
            ["id"] = activity,
            ["definition"] = new { name = new Dictionary<string, string> { ["en-US"] = "simple CBT course" }, description = new Dictionary<string, string> { ["en-US"] = "A fictitious example CBT course." } },
        },
        ["result"] = new Dictionary<string, object?>
        {
            ["score"] = scaled is null ? null : new Dictionary<string, object?> { ["scaled"] = scaled },
            ["success"] = verb != Failed,
            ["completion"] = true,
            ["duration"] = "PT1234S",
        },
    };

    /// <summary>cmi5's AU "passed" statement: the learner by the LMS's account, a score against the AU's mastery score.</summary>
    public static Dictionary<string, object?> Cmi5Passed(string auActivity, string accountName, decimal scaled = 0.94m, string homePage = ApiHost.XapiLmsHomePage) => new()
    {
        ["id"] = Guid.NewGuid().ToString(),
        ["actor"] = Cmi5Actor(accountName, homePage),
        ["verb"] = new { id = Passed, display = new Dictionary<string, string> { ["und"] = "passed" } },
        ["object"] = new { objectType = "Activity", id = auActivity, definition = new { name = new Dictionary<string, string> { ["en-US"] = "Introduction to Geology" } } },
        ["result"] = new { score = new { scaled, raw = scaled * 100, min = 0, max = 100 }, success = true, duration = "PT15.17S" },
        ["context"] = Cmi5Context(),
        ["timestamp"] = DateTimeOffset.UtcNow.AddMinutes(-3).ToString("O"),
    };

    /// <summary>cmi5's LMS "satisfied" statement about the course: moveOn criteria met, no score.</summary>
    public static Dictionary<string, object?> Cmi5Satisfied(string courseActivity, string accountName, string homePage = ApiHost.XapiLmsHomePage) => new()
    {
        ["id"] = Guid.NewGuid().ToString(),
        ["actor"] = Cmi5Actor(accountName, homePage),
        ["verb"] = new { id = Satisfied, display = new Dictionary<string, string> { ["en-US"] = "satisfied" } },
        ["object"] = new { objectType = "Activity", id = courseActivity, definition = new { type = "https://w3id.org/xapi/cmi5/activitytype/course" } },
        ["context"] = Cmi5Context(),
        ["timestamp"] = DateTimeOffset.UtcNow.AddMinutes(-2).ToString("O"),
    };

    private static object Cmi5Actor(string accountName, string homePage)
        => new { objectType = "Agent", name = "Learner's Name", account = new { homePage, name = accountName } };

    private static object Cmi5Context() => new
    {
        registration = Guid.NewGuid().ToString(),
        contextActivities = new { category = new[] { new { objectType = "Activity", id = "https://w3id.org/xapi/cmi5/context/categories/cmi5" } } },
        extensions = new Dictionary<string, object> { ["https://w3id.org/xapi/cmi5/context/extensions/sessionid"] = Guid.NewGuid().ToString() },
    };

    /// <summary>A forward as an LRS sends it: Basic credentials and the version header.</summary>
    public static HttpRequestMessage Forward(object body, string? version = "1.0.3", string? authorization = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/webhooks/xapi/statements")
        {
            Content = new StringContent(body as string ?? JsonSerializer.Serialize(body, CredentialJson.Options), Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("Authorization", authorization ?? LrsBasicCredentials.Header("lrs", ApiHost.XapiSecret));
        if (version is not null) request.Headers.TryAddWithoutValidation("X-Experience-API-Version", version);
        return request;
    }
}
