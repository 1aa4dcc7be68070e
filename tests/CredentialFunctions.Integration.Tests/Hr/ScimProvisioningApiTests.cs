using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using CredentialFunctions.Application.Access;
using CredentialFunctions.Integration.Tests.Api;
using CredentialFunctions.Testing.Api;

namespace CredentialFunctions.Integration.Tests.Hr;

/// <summary>
/// HR over SCIM as Entra ID's provisioning service drives it: the request sequences it sends for a
/// joiner, a mover, a disable and a delete, with its quirks, against the real host and local Cosmos.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class ScimProvisioningApiTests(ApiFixture fixture)
{
    private const string Enterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
    private const string Directory = "urn:ietf:params:scim:schemas:extension:credentialfunctions:2.0:User";
    private const string PatchOp = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

    private readonly ApiHost _api = fixture.Host;

    private static string Unique(string prefix) => prefix + Guid.NewGuid().ToString("N")[..10];

    private Task<HttpResponseMessage> ScimAsync(HttpMethod method, string path, object? body = null, string token = ApiHost.ScimSecret)
    {
        var request = new HttpRequestMessage(method, "/api/scim/v2/" + path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null)
            request.Content = new StringContent(body as string ?? JsonSerializer.Serialize(body), Encoding.UTF8, "application/scim+json");
        return _api.Client.SendAsync(request);
    }

    private async Task<JsonElement> ScimJsonAsync(HttpMethod method, string path, object? body = null, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await ScimAsync(method, path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"Expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/scim+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Entra ID's create request (its default attribute mappings), for one person.</summary>
    private static Dictionary<string, object?> EntraUser(string userName, string? externalId = null, string? employeeNumber = null, string department = "Blue",
        string locality = "Site 3", string? email = null, string? objectId = null) => new()
    {
        ["schemas"] = new[] { "urn:ietf:params:scim:schemas:core:2.0:User", Enterprise, Directory },
        ["externalId"] = externalId,
        ["userName"] = userName,
        ["active"] = true,
        ["displayName"] = "Ada Lovelace",
        ["emails"] = new[] { new { primary = true, type = "work", value = email ?? userName } },
        ["meta"] = new { resourceType = "User" },
        ["name"] = new { formatted = "Ada Lovelace", familyName = "Lovelace", givenName = "Ada" },
        ["addresses"] = new[] { new { type = "work", locality } },
        ["roles"] = Array.Empty<object>(),
        [Enterprise] = new Dictionary<string, object?> { ["employeeNumber"] = employeeNumber, ["department"] = department },
        [Directory] = objectId is null ? null : new { objectId },
    };

    private static object Patch(params object[] operations) => new { schemas = new[] { PatchOp }, Operations = operations };

    /// <summary>Entra ID's sequence for a joiner: look them up by userName, find no one, create them.</summary>
    private async Task<JsonElement> JoinAsync(Dictionary<string, object?> user)
    {
        var userName = (string)user["userName"]!;
        var found = await ScimJsonAsync(HttpMethod.Get, $"Users?filter={Uri.EscapeDataString($"userName eq \"{userName}\"")}");
        Assert.Equal(0, found.GetProperty("totalResults").GetInt32());
        Assert.Empty(found.GetProperty("Resources").EnumerateArray());
        return await ScimJsonAsync(HttpMethod.Post, "Users", user, HttpStatusCode.Created);
    }

    /// <summary>A credential issued through the LMS to the learner with that LMS id (and HR id), placed in team Green at Site 1.</summary>
    private async Task<string> IssueToAsync(string lmsId, string? hrId = null, string email = "ada@example.org")
    {
        var program = await _api.CreateProgramAsync();
        return await _api.IssueAsync(program, Bodies.Completion(program)
            .With("learner", new Dictionary<string, object?> { ["externalId"] = lmsId, ["fullLegalName"] = "Ada King Lovelace", ["email"] = email, ["hrId"] = hrId })
            .With("team", "Green").With("jobSite", "Site 1"));
    }

    private async Task<JsonElement> RecordAsync(string certificateId)
        => await ApiHost.ReadJsonAsync(await _api.SendAsync(HttpMethod.Get, $"/api/credentials/{certificateId}", role: Role.Auditor));

    private static (string? Team, string? Cohort, string? JobSite) PlacementOf(JsonElement record)
    {
        var p = record.GetProperty("placement");
        return (p.GetProperty("team").GetString(), p.GetProperty("cohort").GetString(), p.GetProperty("jobSite").GetString());
    }

    private static List<JsonElement> Entries(JsonElement record, string action)
        => [.. record.GetProperty("auditTrail").EnumerateArray().Where(e => e.GetProperty("action").GetString() == action)];

    private async Task<List<string?>> SupervisorsAsync(string learnerId)
        => [.. (await ApiHost.ReadJsonAsync(await _api.SendAsync(HttpMethod.Get, $"/api/learners/{learnerId}/supervisors", role: Role.Auditor)))
            .GetProperty("supervisors").EnumerateArray().Select(s => s.GetProperty("supervisorId").GetString())];

    [Fact]
    public async Task A_joiner_is_looked_up_then_created_linked_by_external_id_and_their_credentials_take_HR_s_team_and_job_site()
    {
        var lmsId = Unique("lms-");
        var certificateId = await IssueToAsync(lmsId);
        var userName = Unique("ada-") + "@example.org";

        var created = await JoinAsync(EntraUser(userName, externalId: lmsId, department: "Blue", locality: "Site 3"));

        var id = created.GetProperty("id").GetString()!;
        Assert.Equal(userName, created.GetProperty("userName").GetString());
        Assert.True(created.GetProperty("active").GetBoolean());
        Assert.Equal("User", created.GetProperty("meta").GetProperty("resourceType").GetString());
        Assert.EndsWith($"/api/scim/v2/Users/{id}", created.GetProperty("meta").GetProperty("location").GetString());
        Assert.StartsWith("W/\"", created.GetProperty("meta").GetProperty("version").GetString());
        Assert.False(created.TryGetProperty("roles", out _), "an empty list is no value");
        var record = await RecordAsync(certificateId);
        Assert.Equal(("Blue", "2026-A", "Site 3"), PlacementOf(record));
        var moved = Assert.Single(Entries(record, "placementChanged"));
        Assert.Equal("integration:hr-scim", moved.GetProperty("actor").GetString());
        Assert.Equal("HR move (SCIM)", moved.GetProperty("reason").GetString());
        var audit = await ApiHost.ReadJsonAsync(await _api.SendAsync(HttpMethod.Get, $"/api/credentials/{certificateId}/audit", role: Role.Auditor));
        Assert.True(audit.GetProperty("chain").GetProperty("isIntact").GetBoolean());

        var read = await ScimJsonAsync(HttpMethod.Get, $"Users/{id}");
        Assert.Equal(created.ToString(), read.ToString());
        var found = await ScimJsonAsync(HttpMethod.Get, $"Users?filter={Uri.EscapeDataString($"userName eq \"{userName.ToUpperInvariant()}\"")}");
        Assert.Equal(1, found.GetProperty("totalResults").GetInt32());
        Assert.Equal(id, found.GetProperty("Resources")[0].GetProperty("id").GetString());
    }

    [Fact]
    public async Task A_joiner_links_by_employee_number_before_external_id_and_by_email_when_there_is_neither()
    {
        var byHrId = await IssueToAsync(Unique("lms-"), hrId: Unique("E"));
        var hrId = (await RecordAsync(byHrId)).GetProperty("holder").GetProperty("hrId").GetString()!;
        var email = Unique("grace-") + "@example.org";
        var byEmail = await IssueToAsync(Unique("lms-"), email: email.ToUpperInvariant());

        await JoinAsync(EntraUser(Unique("u-"), externalId: "someone-else", employeeNumber: hrId, department: "Payroll"));
        await JoinAsync(EntraUser(Unique("u-"), email: email, department: "Audit"));

        Assert.Equal("Payroll", PlacementOf(await RecordAsync(byHrId)).Team);
        Assert.Equal("Audit", PlacementOf(await RecordAsync(byEmail)).Team);
    }

    [Fact]
    public async Task A_mover_s_department_and_manager_change_by_Entra_s_PATCH_and_the_old_supervisor_is_unassigned()
    {
        var lmsId = Unique("lms-");
        var certificateId = await IssueToAsync(lmsId);
        var first = (await JoinAsync(EntraUser(Unique("boss-"), externalId: Unique("m-"), objectId: "oid-first"))).GetProperty("id").GetString()!;
        var second = (await JoinAsync(EntraUser(Unique("boss-"), externalId: Unique("m-"), objectId: "oid-second"))).GetProperty("id").GetString()!;
        var id = (await JoinAsync(EntraUser(Unique("ada-"), externalId: lmsId))).GetProperty("id").GetString()!;

        // Entra ID sets a manager with Add and the manager's id as a plain string.
        await ScimJsonAsync(HttpMethod.Patch, $"Users/{id}", Patch(new { op = "Add", path = $"{Enterprise}:manager", value = first }));
        Assert.Equal(["oid-first"], await SupervisorsAsync("lms:" + lmsId));

        var moved = await ScimJsonAsync(HttpMethod.Patch, $"Users/{id}", Patch(
            new { op = "Replace", path = $"{Enterprise}:department", value = "Red" },
            new { op = "Replace", path = "addresses[type eq \"work\"].locality", value = "Site 9" },
            new { op = "Replace", path = $"{Enterprise}:manager", value = second }));

        Assert.Equal("Red", moved.GetProperty(Enterprise).GetProperty("department").GetString());
        Assert.Equal(second, moved.GetProperty(Enterprise).GetProperty("manager").GetProperty("value").GetString());
        Assert.Equal(["oid-second"], await SupervisorsAsync("lms:" + lmsId));
        var record = await RecordAsync(certificateId);
        Assert.Equal(("Red", "2026-A", "Site 9"), PlacementOf(record));
        Assert.Equal(2, Entries(record, "placementChanged").Count);

        await ScimJsonAsync(HttpMethod.Patch, $"Users/{id}", Patch(new { op = "Remove", path = $"{Enterprise}:manager" }));
        Assert.Empty(await SupervisorsAsync("lms:" + lmsId));
    }

    [Fact]
    public async Task A_disable_as_Entra_sends_it_ends_tracking_once_keeps_the_history_and_a_re_enable_resumes_nothing()
    {
        var lmsId = Unique("lms-");
        var certificateId = await IssueToAsync(lmsId);
        var id = (await JoinAsync(EntraUser(Unique("ada-"), externalId: lmsId))).GetProperty("id").GetString()!;
        var trailBefore = (await RecordAsync(certificateId)).GetProperty("auditTrail").GetArrayLength();
        var disable = Patch(new { op = "Replace", value = new { active = "False" } });

        var disabled = await ScimJsonAsync(HttpMethod.Patch, $"Users/{id}", disable);
        var again = await ScimJsonAsync(HttpMethod.Patch, $"Users/{id}", disable);

        Assert.False(disabled.GetProperty("active").GetBoolean());
        Assert.Equal(disabled.ToString(), again.ToString());
        var record = await RecordAsync(certificateId);
        Assert.NotEqual(JsonValueKind.Null, record.GetProperty("trackingEndedAt").ValueKind);
        var ended = Assert.Single(Entries(record, "trackingEnded"));
        Assert.Equal("HR leaver (SCIM)", ended.GetProperty("reason").GetString());
        Assert.Equal(trailBefore + 1, record.GetProperty("auditTrail").GetArrayLength());
        Assert.Equal(["start", "LearnerLeft"], fixture.Windows.CallsFor(certificateId));

        var enabled = await ScimJsonAsync(HttpMethod.Patch, $"Users/{id}", Patch(new { op = "replace", path = "active", value = true }));

        Assert.True(enabled.GetProperty("active").GetBoolean());
        Assert.Equal(record.ToString(), (await RecordAsync(certificateId)).ToString());
    }

    [Fact]
    public async Task A_delete_ends_tracking_and_the_User_is_gone()
    {
        var lmsId = Unique("lms-");
        var certificateId = await IssueToAsync(lmsId);
        var id = (await JoinAsync(EntraUser(Unique("ada-"), externalId: lmsId))).GetProperty("id").GetString()!;

        using (var deleted = await ScimAsync(HttpMethod.Delete, $"Users/{id}")) Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);

        Assert.Single(Entries(await RecordAsync(certificateId), "trackingEnded"));
        await ScimError.AssertAsync(await ScimAsync(HttpMethod.Get, $"Users/{id}"), HttpStatusCode.NotFound, null);
        await ScimError.AssertAsync(await ScimAsync(HttpMethod.Delete, $"Users/{id}"), HttpStatusCode.NotFound, null);
    }

    [Fact]
    public async Task Entra_s_quirks_are_understood()
    {
        var id = (await JoinAsync(EntraUser(Unique("ada-"), externalId: Unique("lms-")))).GetProperty("id").GetString()!;

        var patched = await ScimJsonAsync(HttpMethod.Patch, $"Users/{id}", Patch(
            new { op = "REPLACE", path = "emails[type eq \"work\"].value", value = "ada.king@example.org" },
            new { op = "Add", path = "phoneNumbers[type eq \"mobile\"].value", value = "+44 20 7946 0000" },
            new { op = "Replace", value = new Dictionary<string, object> { ["name.givenName"] = "Augusta", [$"{Enterprise}:division"] = "Engines", ["displayName"] = "Augusta Ada" } },
            new { op = "Add", value = new Dictionary<string, object> { [Enterprise] = new { costCenter = "CC-7" } } },
            new { op = "remove", path = "name.formatted" }));

        Assert.Equal("ada.king@example.org", Assert.Single(patched.GetProperty("emails").EnumerateArray()).GetProperty("value").GetString());
        Assert.Equal("mobile", Assert.Single(patched.GetProperty("phoneNumbers").EnumerateArray()).GetProperty("type").GetString());
        Assert.Equal("Augusta", patched.GetProperty("name").GetProperty("givenName").GetString());
        Assert.False(patched.GetProperty("name").TryGetProperty("formatted", out _));
        Assert.Equal("Augusta Ada", patched.GetProperty("displayName").GetString());
        Assert.Equal("Engines", patched.GetProperty(Enterprise).GetProperty("division").GetString());
        Assert.Equal("CC-7", patched.GetProperty(Enterprise).GetProperty("costCenter").GetString());
        Assert.Equal("Blue", patched.GetProperty(Enterprise).GetProperty("department").GetString());
    }

    [Fact]
    public async Task A_list_pages_by_start_index_and_count()
    {
        var externalId = Unique("shared-");
        foreach (var _ in Enumerable.Range(0, 3)) await ScimJsonAsync(HttpMethod.Post, "Users", EntraUser(Unique("p-"), externalId: externalId), HttpStatusCode.Created);

        var page = await ScimJsonAsync(HttpMethod.Get, $"Users?filter={Uri.EscapeDataString($"externalId eq \"{externalId}\"")}&startIndex=2&count=1");

        Assert.Equal(3, page.GetProperty("totalResults").GetInt32());
        Assert.Equal(2, page.GetProperty("startIndex").GetInt32());
        Assert.Equal(1, page.GetProperty("itemsPerPage").GetInt32());
        Assert.Equal(externalId, Assert.Single(page.GetProperty("Resources").EnumerateArray()).GetProperty("externalId").GetString());
    }

    [Fact]
    public async Task The_discovery_documents_describe_the_User_resource_and_its_extensions()
    {
        var config = await ScimJsonAsync(HttpMethod.Get, "ServiceProviderConfig");
        var types = await ScimJsonAsync(HttpMethod.Get, "ResourceTypes");
        var schemas = await ScimJsonAsync(HttpMethod.Get, "Schemas");

        Assert.True(config.GetProperty("patch").GetProperty("supported").GetBoolean());
        Assert.False(config.GetProperty("bulk").GetProperty("supported").GetBoolean());
        Assert.Equal("User", Assert.Single(types.GetProperty("Resources").EnumerateArray()).GetProperty("id").GetString());
        var ids = schemas.GetProperty("Resources").EnumerateArray().Select(s => s.GetProperty("id").GetString()).ToList();
        Assert.Equal(["urn:ietf:params:scim:schemas:core:2.0:User", Enterprise, Directory], ids);
    }

    [Fact]
    public async Task An_Entra_token_with_the_provisioning_role_is_admitted_and_one_without_it_is_403()
    {
        using var admitted = await ScimAsync(HttpMethod.Get, "ServiceProviderConfig", token: ApiHost.TokenFor(Role.HrProvisioning, subject: "provisioning-app"));
        Assert.Equal(HttpStatusCode.OK, admitted.StatusCode);
        await ScimError.AssertAsync(await ScimAsync(HttpMethod.Get, "ServiceProviderConfig", token: ApiHost.TokenFor(Role.Administrator)), HttpStatusCode.Forbidden, null);
    }

    public static TheoryData<string, string, string, object?, HttpStatusCode, string?> BadRequests => new()
    {
        { "wrong token", "GET", "Users?filter=userName%20eq%20%22x%22", null, HttpStatusCode.Unauthorized, null },
        { "filter with another operator", "GET", "Users?filter=userName%20co%20%22ada%22", null, HttpStatusCode.BadRequest, "invalidFilter" },
        { "filter on another attribute", "GET", "Users?filter=title%20eq%20%22Engineer%22", null, HttpStatusCode.BadRequest, "invalidFilter" },
        { "count not a number", "GET", "Users?count=many", null, HttpStatusCode.BadRequest, "invalidValue" },
        { "missing schemas", "POST", "Users", new { userName = "nobody@example.org" }, HttpStatusCode.BadRequest, "invalidSyntax" },
        { "unknown schema", "POST", "Users", new { schemas = new[] { "urn:example:User" }, userName = "nobody@example.org" }, HttpStatusCode.BadRequest, "invalidSyntax" },
        { "unknown attribute", "POST", "Users", new { schemas = new[] { "urn:ietf:params:scim:schemas:core:2.0:User" }, userName = "nobody@example.org", favouriteColour = "red" }, HttpStatusCode.BadRequest, "invalidSyntax" },
        { "no userName", "POST", "Users", new { schemas = new[] { "urn:ietf:params:scim:schemas:core:2.0:User" }, displayName = "Nobody" }, HttpStatusCode.BadRequest, "invalidValue" },
        { "active not a boolean", "POST", "Users", new { schemas = new[] { "urn:ietf:params:scim:schemas:core:2.0:User" }, userName = "nobody@example.org", active = "maybe" }, HttpStatusCode.BadRequest, "invalidValue" },
        { "not JSON", "POST", "Users", "{\"schemas\": [", HttpStatusCode.BadRequest, "invalidSyntax" },
        { "patch without PatchOp", "PATCH", "Users/{id}", new { Operations = new[] { new { op = "replace", path = "active", value = false } } }, HttpStatusCode.BadRequest, "invalidSyntax" },
        { "patch of an unknown path", "PATCH", "Users/{id}", Patch(new { op = "replace", path = "favouriteColour", value = "red" }), HttpStatusCode.BadRequest, "invalidPath" },
        { "patch of an unknown extension attribute", "PATCH", "Users/{id}", Patch(new { op = "replace", path = $"{Enterprise}:shoeSize", value = "9" }), HttpStatusCode.BadRequest, "invalidPath" },
        { "patch with a bad value filter", "PATCH", "Users/{id}", Patch(new { op = "replace", path = "emails[type co \"wo\"].value", value = "x@example.org" }), HttpStatusCode.BadRequest, "invalidFilter" },
        { "patch of the id", "PATCH", "Users/{id}", Patch(new { op = "replace", path = "id", value = "mine" }), HttpStatusCode.BadRequest, "mutability" },
        { "remove without a path", "PATCH", "Users/{id}", Patch(new { op = "remove" }), HttpStatusCode.BadRequest, "noTarget" },
        { "unknown op", "PATCH", "Users/{id}", Patch(new { op = "merge", path = "active", value = false }), HttpStatusCode.BadRequest, "invalidSyntax" },
        { "active as a word", "PATCH", "Users/{id}", Patch(new { op = "replace", path = "active", value = "Nope" }), HttpStatusCode.BadRequest, "invalidValue" },
        { "userName taken", "PATCH", "Users/{id}", Patch(new { op = "replace", path = "userName", value = "{taken}" }), HttpStatusCode.Conflict, "uniqueness" },
        { "userName taken, in other case", "POST", "Users", "{taken-upper}", HttpStatusCode.Conflict, "uniqueness" },
        { "stale If-Match", "PUT", "Users/{id}", "{same}", HttpStatusCode.PreconditionFailed, null },
        { "unknown user", "PATCH", "Users/usr-NOSUCHUSER00", Patch(new { op = "replace", path = "active", value = false }), HttpStatusCode.NotFound, null },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task A_bad_request_is_a_SCIM_error_and_writes_nothing(string why, string method, string path, object? body, HttpStatusCode status, string? scimType)
    {
        var lmsId = Unique("lms-");
        var certificateId = await IssueToAsync(lmsId);
        var taken = Unique("taken-") + "@example.org";
        await ScimJsonAsync(HttpMethod.Post, "Users", EntraUser(taken), HttpStatusCode.Created);
        var user = await ScimJsonAsync(HttpMethod.Post, "Users", EntraUser(Unique("ada-"), externalId: lmsId), HttpStatusCode.Created);
        var id = user.GetProperty("id").GetString()!;
        var record = (await RecordAsync(certificateId)).ToString();
        var before = await _api.SnapshotCountsAsync();
        body = body switch
        {
            "{taken-upper}" => EntraUser(taken.ToUpperInvariant()),
            "{same}" => user.ToString(),
            _ => body is string text ? text : JsonSerializer.Serialize(body).Replace("{taken}", taken, StringComparison.Ordinal),
        };

        var request = new HttpRequestMessage(new HttpMethod(method), "/api/scim/v2/" + path.Replace("{id}", id, StringComparison.Ordinal));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", why == "wrong token" ? "not-the-secret" : ApiHost.ScimSecret);
        if (why == "stale If-Match") request.Headers.TryAddWithoutValidation("If-Match", "W/\"stale\"");
        if (body is not null) request.Content = new StringContent(body as string ?? JsonSerializer.Serialize(body), Encoding.UTF8, "application/scim+json");
        await ScimError.AssertAsync(await _api.Client.SendAsync(request), status, scimType);

        Assert.Equal(before, await _api.SnapshotCountsAsync());
        Assert.Equal(user.ToString(), (await ScimJsonAsync(HttpMethod.Get, $"Users/{id}")).ToString());
        Assert.Equal(record, (await RecordAsync(certificateId)).ToString());
    }
}

internal static class ScimError
{
    /// <summary>Asserts an RFC 7644 §3.12 error: status, media type, the error schema, the status as a string, the scimType, a detail.</summary>
    public static async Task AssertAsync(HttpResponseMessage response, HttpStatusCode status, string? scimType)
    {
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(status == response.StatusCode, $"Expected {(int)status}, got {(int)response.StatusCode}: {body}");
            Assert.Equal("application/scim+json", response.Content.Headers.ContentType?.MediaType);
            var error = JsonDocument.Parse(body).RootElement;
            Assert.Equal(["urn:ietf:params:scim:api:messages:2.0:Error"], error.GetProperty("schemas").EnumerateArray().Select(s => s.GetString()));
            Assert.Equal(((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture), error.GetProperty("status").GetString());
            Assert.Equal(scimType, error.TryGetProperty("scimType", out var t) ? t.GetString() : null);
            Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("detail").GetString()));
        }
    }
}
