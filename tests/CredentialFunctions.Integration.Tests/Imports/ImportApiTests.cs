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

    private async Task<JsonElement> ImportAsync(string programId, string csv, string query = "fileName=legacy-2019.csv")
    {
        using var response = await PostAsync(programId, csv, query);
        var body = await ApiHost.ReadJsonAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}");
        return body;
    }

    private static Dictionary<int, JsonElement> ByLine(JsonElement report)
        => report.GetProperty("results").EnumerateArray().ToDictionary(r => r.GetProperty("line").GetInt32());

    private static string Outcome(JsonElement result) => result.GetProperty("outcome").GetString()!;

    private static IEnumerable<string> ReasonFields(JsonElement result) => result.GetProperty("reasons").EnumerateObject().Select(p => p.Name);

    private async Task<Credential> StoredAsync(JsonElement result)
        => (await _api.Services.GetRequiredService<ICredentialStore>().GetAsync(result.GetProperty("certificateId").GetString()!, CancellationToken.None))!.Value;

    [Fact]
    public async Task Good_rows_are_imported_and_every_bad_row_is_refused_with_each_of_its_reasons()
    {
        var programId = await _api.CreateProgramAsync();
        var csv = Csv(
            Row("-active", expiresIn: 200),
            Row("-window", expiresIn: 45, completedAt: Day(45 - 731), issuedAt: Day(45 - 730), renewals: $"{Day(45 - 375)} RetakeExam"),
            Row("-grace", expiresIn: -10),
            Row("-email", expiresIn: 200, email: "ada at example.org"),
            Row("-dates", expiresIn: 200, expiresAt: Day(-400)),
            Row("-future", expiresIn: 200, completedAt: Day(3)),
            Row("-score", expiresIn: 200, score: "150"),
            Row("-active", expiresIn: 100),
            Row("-unparsed", expiresIn: 200, issuedAt: "03/04/2024", credits: "lots", renewals: "2024-01-01 Osmosis"),
            Row("-low", expiresIn: 200, score: "40"));

        var report = await ImportAsync(programId, csv);

        var lines = ByLine(report);
        Assert.Equal((10, 3, 7, false), (report.GetProperty("rows").GetInt32(), report.GetProperty("imported").GetInt32(), report.GetProperty("refused").GetInt32(), report.GetProperty("dryRun").GetBoolean()));
        Assert.Equal(["imported", "imported", "imported"], new[] { 2, 3, 4 }.Select(l => Outcome(lines[l])));
        Assert.Equal(["email"], ReasonFields(lines[5]));
        Assert.Equal(["expiresAt"], ReasonFields(lines[6]));
        Assert.Equal(["completedAt", "issuedAt"], ReasonFields(lines[7]).Order());
        Assert.Equal(["score"], ReasonFields(lines[8]));
        Assert.Contains("Line 2", lines[9].GetProperty("reasons").GetProperty("learnerExternalId")[0].GetString());
        Assert.Equal(["credits", "issuedAt", "renewals"], ReasonFields(lines[10]).Order());
        Assert.Contains("does not pass", lines[11].GetProperty("reasons").GetProperty("score")[0].GetString());
        Assert.All(new[] { 5, 6, 7, 8, 9, 10, 11 }, l => Assert.Equal("refused", Outcome(lines[l])));

        var inWindow = await StoredAsync(lines[3]);
        var now = DateTimeOffset.UtcNow;
        Assert.Equal((2, CredentialStatus.InRenewalWindow), (inWindow.Cycle, inWindow.StatusAt(now)));
        Assert.Equal(new RenewalStep(RenewalStepKind.Reminder, 2, inWindow.ExpiresAt!.Value.AddDays(-30), IsoDuration.FromDays(30)), RenewalWindow.NextStep(inWindow, now));
        var inGrace = await StoredAsync(lines[4]);
        Assert.Equal((CredentialState.InGrace, inGrace.ExpiresAt), (inGrace.State, (DateTimeOffset?)inGrace.StateChangedAt));
        Assert.All(new[] { 2, 3, 4 }, l => Assert.Equal(["start"], fixture.Windows.CallsFor(lines[l].GetProperty("certificateId").GetString()!)));
        var active = await StoredAsync(lines[2]);
        Assert.Equal([new CeuCredit(12.5m, "CEU")], active.CreditsEarned);
        Assert.Equal(("Lovelace, Ada", "Blue"), (active.Holder.LegalName, active.Placement.Team));
    }

    [Fact]
    public async Task The_audit_trail_of_an_imported_credential_names_who_imported_it_and_from_which_file()
    {
        var programId = await _api.CreateProgramAsync();
        var csv = Csv(Row("", expiresIn: 200));

        var report = await ImportAsync(programId, csv);
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

        var dryRun = await ImportAsync(programId, csv, "fileName=legacy-2019.csv&dryRun=true");

        Assert.Equal(before, await _api.SnapshotCountsAsync());
        Assert.True(dryRun.GetProperty("dryRun").GetBoolean());
        Assert.Equal(["wouldImport", "wouldImport", "refused"], ByLine(dryRun).Values.Select(Outcome));
        Assert.Equal(["score"], ReasonFields(ByLine(dryRun)[4]));
        var imported = await ImportAsync(programId, csv);
        Assert.Equal(["imported", "imported", "refused"], ByLine(imported).Values.Select(Outcome));
    }

    [Fact]
    public async Task Importing_the_same_file_again_imports_nothing_new_and_names_the_credentials_it_imported_the_first_time()
    {
        var programId = await _api.CreateProgramAsync();
        var csv = Csv(Row("-a", expiresIn: 200), Row("-b", expiresIn: -10));
        var first = await ImportAsync(programId, csv);
        var counts = await _api.SnapshotCountsAsync();

        var again = await ImportAsync(programId, csv);
        var dryRun = await ImportAsync(programId, csv, "fileName=legacy-2019.csv&dryRun=true");

        Assert.Equal(counts, await _api.SnapshotCountsAsync());
        Assert.Equal(["alreadyImported", "alreadyImported"], ByLine(again).Values.Select(Outcome));
        Assert.Equal(["alreadyImported", "alreadyImported"], ByLine(dryRun).Values.Select(Outcome));
        Assert.Equal(ByLine(first).Values.Select(r => r.GetProperty("certificateId").GetString()), ByLine(again).Values.Select(r => r.GetProperty("certificateId").GetString()));
        Assert.Equal(0, again.GetProperty("imported").GetInt32());
    }

    [Fact]
    public async Task A_learner_who_already_holds_the_programs_credential_is_reported_as_holding_it_and_gets_no_second_one()
    {
        var programId = await _api.CreateProgramAsync();
        var issued = await _api.IssueAsync(programId, Bodies.Completion(programId).With("learner", new Dictionary<string, object?>
        {
            ["externalId"] = _learner, ["fullLegalName"] = "Ada Lovelace", ["email"] = "ada@example.org",
        }));
        var before = await _api.SnapshotCountsAsync();

        var report = await ImportAsync(programId, Csv(Row("", expiresIn: 200)));

        var row = ByLine(report)[2];
        Assert.Equal(("alreadyHeld", issued), (Outcome(row), row.GetProperty("certificateId").GetString()));
        Assert.Equal(before, await _api.SnapshotCountsAsync());
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
    public async Task A_file_of_more_rows_than_one_import_takes_is_refused_whole()
    {
        var programId = await _api.CreateProgramAsync();
        var rows = Enumerable.Range(0, Application.Imports.CredentialImport.MaxRows + 1).Select(i => Row($"-{i}", expiresIn: 200)).ToArray();
        var before = await _api.SnapshotCountsAsync();

        var problem = await Problem.AssertAsync(await PostAsync(programId, Csv(rows)), HttpStatusCode.BadRequest, "validation");

        Assert.Contains("1,000", problem.GetProperty("errors").GetProperty("file")[0].GetString());
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
