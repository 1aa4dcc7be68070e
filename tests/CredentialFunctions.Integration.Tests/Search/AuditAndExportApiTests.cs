using System.Net;
using CredentialFunctions.Adapters.Cosmos;
using CredentialFunctions.Application.Access;
using CredentialFunctions.Application.Search;
using CredentialFunctions.Integration.Tests.Api;
using CredentialFunctions.Testing.Api;
using CsvHelper;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.DependencyInjection;
using Newtonsoft.Json.Linq;

namespace CredentialFunctions.Integration.Tests.Search;

[Collection(ApiCollection.Name)]
public sealed class AuditAndExportApiTests(ApiFixture fixture)
{
    private readonly ApiHost _api = fixture.Host;

    private Container Container(ContainerLayout layout) => _api.Services.GetRequiredService<CredentialDatabase>().Container(layout);

    private async Task<List<JObject>> AccessLogAsync(string resource)
    {
        var query = new QueryDefinition("SELECT * FROM c WHERE c.callerId = @caller AND c.resource = @resource ORDER BY c.at")
            .WithParameter("@caller", "user:tester").WithParameter("@resource", resource);
        using var iterator = Container(CosmosLayout.AccessLog).GetItemQueryIterator<JObject>(query, requestOptions: new QueryRequestOptions { PartitionKey = new PartitionKey("user:tester") });
        var entries = new List<JObject>();
        while (iterator.HasMoreResults) entries.AddRange(await iterator.ReadNextAsync());
        return entries;
    }

    [Fact]
    public async Task The_audit_trail_shows_who_did_what_when_and_why_and_that_the_chain_verifies()
    {
        var certificateId = await _api.IssueAsync(await _api.CreateProgramAsync());
        var revoked = await _api.SendAsync(HttpMethod.Post, $"/api/credentials/{certificateId}/revocation", new { reason = "Certificate obtained by fraud" }, Role.ProgramManager);
        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);

        var report = await ApiHost.ReadJsonAsync(await _api.SendAsync(HttpMethod.Get, $"/api/credentials/{certificateId}/audit", role: Role.Auditor));

        Assert.Equal(certificateId, report.GetProperty("certificateId").GetString());
        Assert.True(report.GetProperty("chain").GetProperty("isIntact").GetBoolean());
        var entries = report.GetProperty("entries").EnumerateArray().ToList();
        Assert.Equal(["issued", "revoked"], entries.Select(e => e.GetProperty("action").GetString()));
        Assert.Equal(("integration:lms", "user:tester"), (entries[0].GetProperty("actor").GetString(), entries[1].GetProperty("actor").GetString()));
        Assert.Equal("Certificate obtained by fraud", entries[1].GetProperty("reason").GetString());
        Assert.Equal("88", entries[0].GetProperty("details").GetProperty("score").GetString());
        Assert.All(entries, e => Assert.True(e.TryGetProperty("at", out _) && e.TryGetProperty("hash", out _)));
    }

    [Fact]
    public async Task An_edited_record_shows_where_its_chain_breaks()
    {
        var certificateId = await _api.IssueAsync(await _api.CreateProgramAsync());
        var container = Container(CosmosLayout.Credentials);
        var document = (await container.ReadItemAsync<JObject>(certificateId, new PartitionKey(certificateId))).Resource;
        document["auditTrail"]![0]!["actor"] = "user:someone-else";
        await container.ReplaceItemAsync(document, certificateId, new PartitionKey(certificateId));

        var report = await ApiHost.ReadJsonAsync(await _api.SendAsync(HttpMethod.Get, $"/api/credentials/{certificateId}/audit", role: Role.Administrator));

        Assert.False(report.GetProperty("chain").GetProperty("isIntact").GetBoolean());
        Assert.Equal(1, report.GetProperty("chain").GetProperty("brokenAtSequence").GetInt32());
    }

    [Theory]
    [InlineData(Role.ProgramManager)]
    [InlineData(Role.Learner)]
    [InlineData(Role.Supervisor)]
    public async Task Only_auditors_and_administrators_read_the_audit_route(Role role)
    {
        var certificateId = await _api.IssueAsync(await _api.CreateProgramAsync());
        await Problem.AssertAsync(await _api.SendAsync(HttpMethod.Get, $"/api/credentials/{certificateId}/audit", role: role, learnerId: "lms:learner-42"), HttpStatusCode.Forbidden, "forbidden");
        Assert.Empty(await AccessLogAsync($"credentials/{certificateId}/audit"));
    }

    [Fact]
    public async Task The_audit_route_tells_a_mistyped_id_from_an_unknown_one()
    {
        await Problem.AssertAsync(await _api.SendAsync(HttpMethod.Get, "/api/credentials/nope/audit", role: Role.Auditor), HttpStatusCode.BadRequest, "malformed-certificate-id");
        var never = Domain.Credentials.CertificateId.FromRandomBytes(Enumerable.Repeat((byte)3, 15).ToArray()).Value;
        await Problem.AssertAsync(await _api.SendAsync(HttpMethod.Get, $"/api/credentials/{never}/audit", role: Role.Auditor), HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task An_auditors_reads_of_a_record_its_audit_trail_a_search_and_an_export_are_logged()
    {
        var programId = await _api.CreateProgramAsync();
        var certificateId = await _api.IssueAsync(programId);

        await _api.SendAsync(HttpMethod.Get, $"/api/credentials/{certificateId}", role: Role.Auditor);
        await _api.SendAsync(HttpMethod.Get, $"/api/credentials/{certificateId}/audit", role: Role.Auditor);
        await _api.SendAsync(HttpMethod.Get, $"/api/credentials?programId={programId}&status=active", role: Role.Auditor);
        await (await _api.SendAsync(HttpMethod.Get, $"/api/credentials/export?programId={programId}", role: Role.Auditor)).Content.ReadAsStringAsync();

        var record = Assert.Single(await AccessLogAsync($"credentials/{certificateId}"));
        Assert.Equal(["Auditor"], record["roles"]!.ToObject<string[]>()!);
        Assert.Single(await AccessLogAsync($"credentials/{certificateId}/audit"));
        Assert.Contains(await AccessLogAsync("credentials"), e => (string?)e["query"] == $"programId={programId}&status=active");
        Assert.Contains(await AccessLogAsync("credentials/export"), e => (string?)e["query"] == $"programId={programId}");
    }

    [Fact]
    public async Task The_export_streams_every_matching_credential_as_csv_with_formulas_escaped()
    {
        var programId = await _api.CreateProgramAsync();
        var names = new[] { "Ada Lovelace", "=HYPERLINK(\"http://evil.example\",\"x\")", "@SUM(A1)" };
        for (var i = 0; i < names.Length; i++)
            await _api.IssueAsync(programId, Bodies.Completion(programId).With("learner", new Dictionary<string, object?>
            {
                ["externalId"] = $"export-{i}", ["fullLegalName"] = names[i], ["email"] = $"export-{i}@example.org",
            }));

        using var response = await _api.SendAsync(HttpMethod.Get, $"/api/credentials/export?programId={programId}&sort=legalName", role: Role.Auditor);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("attachment;", response.Content.Headers.ContentDisposition?.ToString());
        using var reader = CsvReader.Create(new StringReader(await response.Content.ReadAsStringAsync()));
        var rows = new List<(string Name, string Program, string Status)>();
        while (reader.Read()) rows.Add((reader.GetString("fullLegalName"), reader.GetString("programId"), reader.GetString("status")));
        Assert.Equal(["'=HYPERLINK(\"http://evil.example\",\"x\")", "'@SUM(A1)", "Ada Lovelace"], rows.Select(r => r.Name));
        Assert.All(rows, r => Assert.Equal((programId, "active"), (r.Program, r.Status)));
        Assert.Equal(CredentialCsv.Columns, reader.Headers);
    }

    [Theory]
    [InlineData("status=expired", "status")]
    [InlineData("pageSize=10", "pageSize")]
    [InlineData("continuationToken=abc", "continuationToken")]
    public async Task A_bad_export_is_a_problem_before_any_row(string query, string field)
    {
        var problem = await Problem.AssertAsync(await _api.SendAsync(HttpMethod.Get, "/api/credentials/export?" + query, role: Role.Auditor), HttpStatusCode.BadRequest, "validation");
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _));
    }
}
