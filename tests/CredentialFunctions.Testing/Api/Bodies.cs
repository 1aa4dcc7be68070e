namespace CredentialFunctions.Testing.Api;

/// <summary>Request bodies as JSON-shaped objects: tests say only what differs from a valid request.</summary>
public static class Bodies
{
    public static Dictionary<string, object?> Program(decimal passThreshold = 70, string kind = "initialCertification", string? validity = "P1Y") => new()
    {
        ["name"] = "Certified Widgetmaker",
        ["kind"] = kind,
        ["issuingOrganization"] = "Widget Board",
        ["passThreshold"] = passThreshold,
        ["renewal"] = validity is null ? null : new Dictionary<string, object?> { ["validity"] = validity, ["pathways"] = new[] { "retakeExam", "refresherModule" } },
        ["creditsAwarded"] = new[] { new { amount = 2.5m, category = "CPD" } },
        ["contentVersion"] = "2026.1",
    };

    public static Dictionary<string, object?> Completion(string programId, decimal score = 88, string? eventId = null, DateTimeOffset? completedAt = null) => new()
    {
        ["eventId"] = eventId ?? "evt-" + Guid.NewGuid().ToString("N"),
        ["learner"] = new Dictionary<string, object?> { ["externalId"] = "learner-42", ["fullLegalName"] = "Ada King Lovelace", ["email"] = "ada@example.org" },
        ["programId"] = programId,
        ["score"] = score,
        ["completedAt"] = completedAt ?? DateTimeOffset.UtcNow.AddMinutes(-5),
        ["team"] = "Blue",
        ["cohort"] = "2026-A",
        ["jobSite"] = "Site 3",
    };

    public static Dictionary<string, object?> With(this Dictionary<string, object?> body, string key, object? value)
    {
        var copy = new Dictionary<string, object?>(body) { [key] = value };
        return copy;
    }

    public static Dictionary<string, object?> Without(this Dictionary<string, object?> body, string key)
    {
        var copy = new Dictionary<string, object?>(body);
        copy.Remove(key);
        return copy;
    }
}
