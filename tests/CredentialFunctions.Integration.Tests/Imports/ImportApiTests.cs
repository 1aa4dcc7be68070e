using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CredentialFunctions.Adapters.Cosmos;
using CredentialFunctions.Application.Access;
using CredentialFunctions.Application.Ports;
using CredentialFunctions.Domain.Credentials;
using CredentialFunctions.Domain.Programs;
using CredentialFunctions.Domain.Renewal;
using CredentialFunctions.Integration.Tests.Api;
using CredentialFunctions.Testing.Api;
using Microsoft.Extensions.DependencyInjection;

namespace CredentialFunctions.Integration.Tests.Imports;

[Collection(ApiCollection.Name)]
public sealed class ImportApiTests(ApiFixture fixture)
{
    private const string Header = "learnerExternalId,fullLegalName,email,completedAt,score,issuedAt,expiresAt,credits,renewals,team,cohort,jobSite";

    private readonly ApiHost _api = fixture.Host;
    private readonly string _learner = "imp-" + Guid.NewGuid().ToString("N")[..8];

    private static string Day(int daysFromToday) => DateTimeOffset.UtcNow.AddDays(daysFromToday).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>A row of a credential issued a year before it expires (the program's P1Y), <paramref name="expiresIn"/> days from today.</summary>
    private string Row(string learnerSuffix, int expiresIn, string? email = null, string? score = null, string? completedAt = null, string? issuedAt = null, string? expiresAt = null,
        string credits = "12.5 CEU", string renewals = "")
        => string.Join(',', _learner + learnerSuffix, "\"Lovelace, Ada\"", email ?? "ada@example.org", completedAt ?? Day(expiresIn - 366), score ?? "91",
            issuedAt ?? Day(expiresIn - 365), expiresAt ?? Day(expiresIn), credits, renewals, "Blue", "2019-B", "Site 3");

    private static string Csv(params string[] rows) => string.Join("\r\n", [Header, .. rows]) + "\r\n";

    private async Task<HttpResponseMessage> PostAsync(string programId, string csv, string query = "fileName=legacy-2019.csv", Role role = Role.ProgramManager, string mediaType = "text/csv")
    {
        var request = _api.Request(HttpMethod.Post, $"/api/programs/{programId}/imports?{query}", role: role);
        request.Content = new StringContent(csv, Encoding.UTF8);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        return await _api.Client.SendAsync(request);
    }

    private async Task<JsonElement> DryRunAsync(string programId, string csv)
    {
        using var response = await PostAsync(programId, csv, "fileName=legacy-2019.csv&dryRun=true");
        var body = await ApiHost.ReadJsonAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}");
        return body;
    }

    /// <summary>Imports the file and reads its run's status until the run has finished; generous, as two busy cores may take minutes.</summary>
    private async Task<JsonElement> ImportAsync(string programId, string csv)
    {
        using var started = await PostAsync(programId, csv);
        var body = await ApiHost.ReadJsonAsync(started);
        Assert.True(started.StatusCode == HttpStatusCode.Accepted, $"{(int)started.StatusCode}: {body}");
        var location = started.Headers.Location!.ToString();
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(5);
        while (true)
        {
            using var response = await _api.SendAsync(HttpMethod.Get, location, role: Role.Auditor);
            var status = await ApiHost.ReadJsonAsync(response);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            if (status.GetProperty("finished").GetBoolean()) return status;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"The import did not finish in time: {status}");
            await Task.Delay(100);
        }
    }

    private static (int Issued, int AlreadyHeld, int Failed) Counts(JsonElement status)
        => (status.GetProperty("issued").GetInt32(), status.GetProperty("alreadyHeld").GetInt32(), status.GetProperty("failed").GetInt32());

    private static Dictionary<int, JsonElement> ByLine(JsonElement report)
        => report.GetProperty("results").EnumerateArray().ToDictionary(r => r.GetProperty("line").GetInt32());

    private static string Outcome(JsonElement result) => result.GetProperty("outcome").GetString()!;

    private static IEnumerable<string> ReasonFields(JsonElement result) => result.GetProperty("reasons").EnumerateObject().Select(p => p.Name);

    private async Task<Credential> StoredAsync(JsonElement result)
        => (await _api.Services.GetRequiredService<ICredentialStore>().GetAsync(result.GetProperty("certificateId").GetString()!, CancellationToken.None))!.Value;

    [Fact]
    public async Task A_dry_run_refuses_every_bad_row_with_each_of_its_reasons_and_the_import_refuses_the_file_until_none_is_left()
    {
        var programId = await _api.CreateProgramAsync();
        var good = new[]
        {
            Row("-active", expiresIn: 200),
            Row("-window", expiresIn: 45, completedAt: Day(45 - 731), issuedAt: Day(45 - 730), renewals: $"{Day(45 - 375)} RetakeExam"),
            Row("-grace", expiresIn: -10),
        };
        var csv = Csv([.. good,
            Row("-email", expiresIn: 200, email: "ada at example.org"),
            Row("-dates", expiresIn: 200, expiresAt: Day(-400)),
            Row("-future", expiresIn: 200, completedAt: Day(3)),
            Row("-score", expiresIn: 200, score: "150"),
            Row("-active", expiresIn: 100),
            Row("-unparsed", expiresIn: 200, issuedAt: "03/04/2024", credits: "lots", renewals: "2024-01-01 Osmosis"),
            Row("-low", expiresIn: 200, score: "40")]);
        var before = await _api.SnapshotCountsAsync();

        var report = await DryRunAsync(programId, csv);
        var refused = await Problem.AssertAsync(await PostAsync(programId, csv), HttpStatusCode.BadRequest, "validation");

        Assert.Equal(before, await _api.SnapshotCountsAsync());
        var lines = ByLine(report);
        Assert.Equal((10, 3, 7), (report.GetProperty("rows").GetInt32(), report.GetProperty("wouldImport").GetInt32(), report.GetProperty("refused").GetInt32()));
        Assert.Equal(["wouldImport", "wouldImport", "wouldImport"], new[] { 2, 3, 4 }.Select(l => Outcome(lines[l])));
        Assert.Equal(["email"], ReasonFields(lines[5]));
        Assert.Equal(["expiresAt"], ReasonFields(lines[6]));
        Assert.Equal(["completedAt", "issuedAt"], ReasonFields(lines[7]).Order());
        Assert.Equal(["score"], ReasonFields(lines[8]));
        Assert.Contains("Line 2", lines[9].GetProperty("reasons").GetProperty("learnerExternalId")[0].GetString());
        Assert.Equal(["credits", "issuedAt", "renewals"], ReasonFields(lines[10]).Order());
        Assert.Contains("does not pass", lines[11].GetProperty("reasons").GetProperty("score")[0].GetString());
        Assert.All(new[] { 5, 6, 7, 8, 9, 10, 11 }, l => Assert.Equal("refused", Outcome(lines[l])));
        var errors = refused.GetProperty("errors").EnumerateObject().Select(e => e.Name).ToList();
        Assert.Contains("lines[5].email", errors);
        Assert.Contains("lines[11].score", errors);
        Assert.DoesNotContain(errors, e => e.StartsWith("lines[2]", StringComparison.Ordinal));

        var cleaned = Csv(good);
        Assert.Equal((3, 0, 0), Counts(await ImportAsync(programId, cleaned)));

        var imported = ByLine(await DryRunAsync(programId, cleaned));
        Assert.All(imported.Values, r => Assert.Equal("alreadyImported", Outcome(r)));
        var inWindow = await StoredAsync(imported[3]);
        var now = DateTimeOffset.UtcNow;
        Assert.Equal((2, CredentialStatus.InRenewalWindow), (inWindow.Cycle, inWindow.StatusAt(now)));
        Assert.Equal(new RenewalStep(RenewalStepKind.Reminder, 2, inWindow.ExpiresAt!.Value.AddDays(-30), IsoDuration.FromDays(30)), RenewalWindow.NextStep(inWindow, now));
        var inGrace = await StoredAsync(imported[4]);
        Assert.Equal((CredentialState.InGrace, inGrace.ExpiresAt), (inGrace.State, (DateTimeOffset?)inGrace.StateChangedAt));
        Assert.All(imported.Values, r => Assert.Equal(["start"], fixture.Windows.CallsFor(r.GetProperty("certificateId").GetString()!)));
        var active = await StoredAsync(imported[2]);
        Assert.Equal([new CeuCredit(12.5m, "CEU")], active.CreditsEarned);
        Assert.Equal(("Lovelace, Ada", "Blue"), (active.Holder.LegalName, active.Placement.Team));
    }

    [Fact]
    public async Task The_audit_trail_of_an_imported_credential_names_who_imported_it_and_from_which_file()
    {
        var programId = await _api.CreateProgramAsync();
        var csv = Csv(Row("", expiresIn: 200));

        await ImportAsync(programId, csv);
        var report = await DryRunAsync(programId, csv);
        var certificateId = ByLine(report)[2].GetProperty("certificateId").GetString();
        var audit = await ApiHost.ReadJsonAsync(await _api.SendAsync(HttpMethod.Get, $"/api/credentials/{certificateId}/audit", role: Role.Auditor));

        var entry = Assert.Single(audit.GetProperty("entries").EnumerateArray());
        Assert.Equal(("imported", "user:tester"), (entry.GetProperty("action").GetString(), entry.GetProperty("actor").GetString()));
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(csv)));
        Assert.Equal(("legacy-2019.csv", sha256, "2"),
            (entry.GetProperty("details").GetProperty("fileName").GetString(), entry.GetProperty("details").GetProperty("fileSha256").GetString(), entry.GetProperty("details").GetProperty("line").GetString()));
        Assert.Equal(sha256, report.GetProperty("fileSha256").GetString());
        Assert.True(audit.GetProperty("chain").GetProperty("isIntact").GetBoolean());
    }

    [Fact]
    public async Task A_dry_run_reports_what_would_be_imported_and_refused_and_writes_nothing()
    {
        var programId = await _api.CreateProgramAsync();
        var csv = Csv(Row("-a", expiresIn: 200), Row("-b", expiresIn: 45), Row("-c", expiresIn: 200, score: "150"));
        var before = await _api.SnapshotCountsAsync();

        var dryRun = await DryRunAsync(programId, csv);

        Assert.Equal(before, await _api.SnapshotCountsAsync());
        Assert.Equal(["wouldImport", "wouldImport", "refused"], ByLine(dryRun).Values.Select(Outcome));
        Assert.Equal(["score"], ReasonFields(ByLine(dryRun)[4]));
    }

    [Fact]
    public async Task Importing_the_same_file_again_imports_nothing_new()
    {
        var programId = await _api.CreateProgramAsync();
        var csv = Csv(Row("-a", expiresIn: 200), Row("-b", expiresIn: -10));
        Assert.Equal((2, 0, 0), Counts(await ImportAsync(programId, csv)));
        var first = ByLine(await DryRunAsync(programId, csv));
        var credentials = await _api.CountAsync(CosmosLayout.Credentials);

        var again = await ImportAsync(programId, csv);

        Assert.Equal((0, 2, 0), Counts(again));
        Assert.Equal(credentials, await _api.CountAsync(CosmosLayout.Credentials));
        var after = ByLine(await DryRunAsync(programId, csv));
        Assert.Equal(["alreadyImported", "alreadyImported"], after.Values.Select(Outcome));
        Assert.Equal(first.Values.Select(r => r.GetProperty("certificateId").GetString()), after.Values.Select(r => r.GetProperty("certificateId").GetString()));
    }

    [Fact]
    public async Task A_learner_who_already_holds_the_programs_credential_is_reported_as_holding_it_and_gets_no_second_one()
    {
        var programId = await _api.CreateProgramAsync();
        var issued = await _api.IssueAsync(programId, Bodies.Completion(programId).With("learner", new Dictionary<string, object?>
        {
            ["externalId"] = _learner, ["fullLegalName"] = "Ada Lovelace", ["email"] = "ada@example.org",
        }));
        var csv = Csv(Row("", expiresIn: 200));
        var credentials = await _api.CountAsync(CosmosLayout.Credentials);

        var dryRun = ByLine(await DryRunAsync(programId, csv))[2];
        var status = await ImportAsync(programId, csv);

        Assert.Equal(("alreadyHeld", issued), (Outcome(dryRun), dryRun.GetProperty("certificateId").GetString()));
        Assert.Equal((0, 1, 0), Counts(status));
        Assert.Equal(credentials, await _api.CountAsync(CosmosLayout.Credentials));
    }

    public static TheoryData<string, string, string> BadFiles => new()
    {
        { "", "fileName=a.csv", "file" },
        { Header + "\r\n", "fileName=a.csv", "file" },
        { "learnerExternalId,fullLegalName,email,completedAt,score\r\nx,y,z@example.org,2024-01-01,90\r\n", "fileName=a.csv", "file" },
        { Header + ",expiryDate\r\n", "fileName=a.csv", "file" },
        { Header + "\r\n\"unbalanced,a,b,c,d,e,f,g,h,i,j,k\r\n", "fileName=a.csv", "file" },
        { Header + "\r\nonly,three,fields\r\n", "fileName=a.csv", "file" },
        { Csv("x,y,ada@example.org,2024-01-01,90,2024-01-02,2026-01-02,,,,,"), "", "fileName" },
        { Csv("x,y,ada@example.org,2024-01-01,90,2024-01-02,2026-01-02,,,,,"), "fileName=%E2%80%AEvsc.csv", "fileName" },
        { Csv("x,y,ada@example.org,2024-01-01,90,2024-01-02,2026-01-02,,,,,"), "fileName=a.csv&dryRun=yes", "dryRun" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public async Task A_file_that_cannot_be_read_as_a_whole_is_400_naming_what_is_wrong_and_writes_nothing(string csv, string query, string field)
    {
        var programId = await _api.CreateProgramAsync();
        var before = await _api.SnapshotCountsAsync();

        var problem = await Problem.AssertAsync(await PostAsync(programId, csv, query), HttpStatusCode.BadRequest, "validation");

        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"expected an error for '{field}' in {problem}");
        Assert.Equal(before, await _api.SnapshotCountsAsync());
    }

    [Fact]
    public async Task An_import_into_an_unknown_program_a_body_that_is_not_CSV_and_a_caller_who_may_not_import_are_refused_and_write_nothing()
    {
        var programId = await _api.CreateProgramAsync();
        var csv = Csv(Row("", expiresIn: 200));
        var before = await _api.SnapshotCountsAsync();

        await Problem.AssertAsync(await PostAsync("no-such-program", csv), HttpStatusCode.NotFound, "not-found");
        await Problem.AssertAsync(await PostAsync(programId, csv, mediaType: "application/json"), HttpStatusCode.UnsupportedMediaType, "unsupported-media-type");
        await Problem.AssertAsync(await PostAsync(programId, csv, role: Role.Auditor), HttpStatusCode.Forbidden, "forbidden");

        Assert.Equal(before, await _api.SnapshotCountsAsync());
    }
}
