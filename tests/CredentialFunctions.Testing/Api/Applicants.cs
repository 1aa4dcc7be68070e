using System.Net;
using System.Net.Http.Headers;
using CredentialFunctions.Application.Access;

namespace CredentialFunctions.Testing.Api;

/// <summary>A candidate of a test's own: their token's subject and learner id, unique to it.</summary>
public sealed record Applicant(string Subject, string LearnerId)
{
    public static Applicant New()
    {
        var n = Guid.NewGuid().ToString("N")[..8];
        return new Applicant($"cand-{n}", $"lms:{n}");
    }

    public string Token(Role role = Role.Learner) => ApiHost.TokenFor(role, Subject, LearnerId);

    /// <summary>The request with this candidate's bearer token.</summary>
    public HttpRequestMessage Request(HttpMethod method, string path, HttpContent? content = null, Role role = Role.Learner)
        => new(method, path) { Content = content, Headers = { Authorization = new AuthenticationHeaderValue("Bearer", Token(role)) } };
}

/// <summary>Applications submitted through the API, as a candidate would.</summary>
public static class Applicants
{
    public const string PathwayId = "degree-experience";
    public const string RequiredDocument = "Degree certificate";

    /// <summary>A program that takes applications: one pathway asking for <see cref="RequiredDocument"/>, a fee of 250.00 USD (or none), two attempts a year, 14 days apart.</summary>
    public static Dictionary<string, object?> Program(bool fee = true) => Bodies.Program()
        .With("eligibilityPathways", new[]
        {
            new { pathwayId = PathwayId, name = "Degree and two years' experience", documents = new[] { new { name = RequiredDocument, accepted = "A scan of the certificate or the final transcript" } } },
        })
        .With("fee", fee ? new { minorUnits = 25_000, currency = "USD" } : null)
        .With("retake", new { attemptsAllowed = 2, period = "P1Y", waitingPeriod = "P14D" });

    /// <summary>Submits an application to the program as a new candidate; returns its id and the candidate.</summary>
    public static async Task<(string ApplicationId, Applicant Candidate)> ApplyAsync(this ApiHost api, string programId)
    {
        var candidate = Applicant.New();
        using var response = await api.Client.SendAsync(candidate.Request(HttpMethod.Post, "/api/applications",
            ApiHost.Json(new { programId, pathwayId = PathwayId, fullLegalName = "Ada King Lovelace", email = "ada@example.org" })));
        var json = await ApiHost.ReadJsonAsync(response);
        return response.StatusCode == HttpStatusCode.Created
            ? (json.GetProperty("applicationId").GetString()!, candidate)
            : throw new InvalidOperationException($"Applying failed with {(int)response.StatusCode}: {json}");
    }

    /// <summary>The application as an auditor reads it, to compare before and after a refused request.</summary>
    public static async Task<string> ApplicationAsync(this ApiHost api, string applicationId)
        => (await ApiHost.ReadJsonAsync(await api.SendAsync(HttpMethod.Get, $"/api/applications/{applicationId}", role: Role.Auditor))).ToString();
}
