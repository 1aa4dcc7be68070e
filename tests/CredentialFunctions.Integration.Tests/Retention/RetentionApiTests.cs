using System.Net;
using System.Text.Json;
using CredentialFunctions.Adapters.Cosmos;
using CredentialFunctions.Application;
using CredentialFunctions.Application.Access;
using CredentialFunctions.Application.Issuance;
using CredentialFunctions.Application.Ports;
using CredentialFunctions.Application.Renewal;
using CredentialFunctions.Application.Retention;
using CredentialFunctions.Domain.Retention;
using CredentialFunctions.Integration.Tests.Api;
using CredentialFunctions.Integration.Tests.Bulk;
using CredentialFunctions.Integration.Tests.Issuance;
using CredentialFunctions.Testing.Api;
using CredentialFunctions.Testing.Cosmos;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CredentialFunctions.Integration.Tests.Retention;

/// <summary>
/// The retention sweep through the real composition on the local Cosmos server, with a fake clock
/// moved on by years: what it purges and how, what it leaves (read from every container), legal
/// holds, the purge log, a re-run, crashes between its writes, and the purged credential's events
/// delivered again.
/// </summary>
public sealed class RetentionApiTests(CosmosServerFixture cosmos) : IClassFixture<CosmosServerFixture>
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private readonly CrashingPurgeLog.Switch _crash = new();
    private readonly Crash _receiptCrash = new();

    private Task<ApiHost> StartAsync() => ApiHost.StartAsync(cosmos.Endpoint, overrides: services =>
    {
        services.AddSingleton<TimeProvider>(_clock);
        services.AddSingleton<IRenewalWindows>(new RecordingRenewalWindows());
        services.AddSingleton<IPurgeLog>(sp => new CrashingPurgeLog(new CosmosPurgeLog(sp.GetRequiredService<CredentialDatabase>()), _crash));
        services.AddSingleton<IReceiptStore>(sp => new ReceiptGate(new CrashingReceiptStore(new CosmosReceiptStore(sp.GetRequiredService<CredentialDatabase>()), _receiptCrash)));
    });

    private static object Retention(int years, string after, string purge) => new { years, after, purge };

    /// <summary>A program that never expires, so a record ends only when it is revoked or its learner leaves.</summary>
    private static async Task<string> ProgramAsync(ApiHost host, object? retention, string? xapiActivity = null)
        => await host.CreateProgramAsync(Bodies.Program(validity: null).With("retention", retention).With("xapiActivities", xapiActivity is null ? [] : new[] { xapiActivity }));

    private static string NameOf(string learner) => $"Grace {learner} Hopper";

    private static string EmailOf(string learner) => $"{learner}@example.org";

    private Dictionary<string, object?> CompletionOf(string programId, string learner, string? eventId = null)
        => Bodies.Completion(programId, eventId: eventId, completedAt: _clock.GetUtcNow().AddMinutes(-5))
            .With("learner", new Dictionary<string, object?> { ["externalId"] = learner, ["fullLegalName"] = NameOf(learner), ["email"] = EmailOf(learner) });

    private Task<HttpResponseMessage> DeliverAsync(ApiHost host, Dictionary<string, object?> completion)
        => host.Client.SendAsync(host.SignedLms(JsonSerializer.Serialize(completion, CredentialJson.Options), _clock.GetUtcNow()));

    private async Task<string> IssueAsync(ApiHost host, string programId, string learner, string? eventId = null)
    {
        using var response = await DeliverAsync(host, CompletionOf(programId, learner, eventId));
        var json = await ApiHost.ReadJsonAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.Created, json.ToString());
        return json.GetProperty("certificateId").GetString()!;
    }

    /// <summary>A pass of a learner who holds the program's credential and cannot renew it (it never expires): its receipt names that credential.</summary>
    private async Task PassAgainAsync(ApiHost host, string programId, string learner, string eventId)
    {
        using var response = await DeliverAsync(host, CompletionOf(programId, learner, eventId));
        var json = await ApiHost.ReadJsonAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.OK && json.GetProperty("action").GetString() == "alreadyHeld", json.ToString());
    }

    /// <summary>The learner's pass forwarded by an LRS as the xAPI spec's completion example, by mailbox and name.</summary>
    private static Dictionary<string, object?> StatementOf(string activity, string learner)
        => XapiStatements.SpecCompletion(activity, email: EmailOf(learner))
            .With("actor", new Dictionary<string, object?> { ["objectType"] = "Agent", ["name"] = NameOf(learner), ["mbox"] = "mailto:" + EmailOf(learner) });

    private static async Task<JsonElement> ForwardAsync(ApiHost host, Dictionary<string, object?> statement)
    {
        using var response = await host.Client.SendAsync(XapiStatements.Forward(statement));
        var json = await ApiHost.ReadJsonAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.OK, json.ToString());
        return Assert.Single(json.GetProperty("statements").EnumerateArray());
    }

    private static Task<CompletionReceipt?> ReceiptAsync(ApiHost host, string eventId)
        => host.Services.GetRequiredService<IReceiptStore>().GetAsync<CompletionReceipt>(IssuanceService.ReceiptKey(eventId), CancellationToken.None);

    /// <summary>Every document of every container, by container: what a sweep left, as stored.</summary>
    private static async Task<Dictionary<string, IReadOnlyList<string>>> StoredAsync(ApiHost host)
    {
        var stored = new Dictionary<string, IReadOnlyList<string>>();
        foreach (var layout in CosmosLayout.All) stored[layout.Name] = await host.DocumentsAsync(layout);
        return stored;
    }

    private static async Task RevokeAsync(ApiHost host, string certificateId)
    {
        using var response = await host.SendAsync(HttpMethod.Post, $"/api/credentials/{certificateId}/revocation", new { reason = "Exam misconduct" }, Role.ProgramManager);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static Task<RetentionReport> SweepAsync(ApiHost host) => host.Services.GetRequiredService<RetentionPurge>().RunAsync(CancellationToken.None);

    private static async Task<HttpStatusCode> RecordStatusAsync(ApiHost host, string certificateId)
    {
        using var response = await host.SendAsync(HttpMethod.Get, $"/api/credentials/{certificateId}", role: Role.Auditor);
        return response.StatusCode;
    }

    private static async Task<List<JsonElement>> PurgeLogAsync(ApiHost host)
    {
        using var response = await host.SendAsync(HttpMethod.Get, "/api/purge-log", role: Role.Auditor);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return [.. (await ApiHost.ReadJsonAsync(response)).GetProperty("entries").EnumerateArray()];
    }

    private static async Task<HttpResponseMessage> HoldAsync(ApiHost host, string subject, string id, string action = "", object? body = null, Role role = Role.Administrator)
        => await host.SendAsync(HttpMethod.Post, $"/api/legal-holds/{subject}/{id}{action}", body ?? new { reason = "Litigation 2026-17" }, role);

    [Fact]
    public async Task Past_retention_records_are_anonymised_or_deleted_as_their_program_says_and_the_rest_are_untouched()
    {
        await using var host = await StartAsync();
        var anonymising = await ProgramAsync(host, Retention(3, "credentialEnd", "anonymise"));
        var deleting = await ProgramAsync(host, Retention(3, "credentialEnd", "delete"));
        var keeping = await ProgramAsync(host, null);
        var (anonymised, deleted, kept) = (await IssueAsync(host, anonymising, "a-old"), await IssueAsync(host, deleting, "d-old"), await IssueAsync(host, keeping, "k-old"));
        var active = await IssueAsync(host, anonymising, "a-active");
        foreach (var id in new[] { anonymised, deleted, kept }) await RevokeAsync(host, id);
        var revokedAt = _clock.GetUtcNow();
        _clock.Advance(TimeSpan.FromDays(2 * 365));
        var younger = await IssueAsync(host, anonymising, "a-young");
        await RevokeAsync(host, younger);

        _clock.Advance(TimeSpan.FromDays(366 + 2));
        var report = await SweepAsync(host);

        Assert.Equal((2, 0, 0), (report.Purged, report.Held, report.Failed));
        Assert.Equal(HttpStatusCode.NotFound, await RecordStatusAsync(host, anonymised));
        Assert.Equal(HttpStatusCode.NotFound, await RecordStatusAsync(host, deleted));
        foreach (var id in new[] { kept, active, younger }) Assert.Equal(HttpStatusCode.OK, await RecordStatusAsync(host, id));

        using var removed = await host.SendAsync(HttpMethod.Get, $"/api/verify/{anonymised}");
        var answer = await ApiHost.ReadJsonAsync(removed);
        Assert.Equal(HttpStatusCode.OK, removed.StatusCode);
        Assert.False(answer.GetProperty("authentic").GetBoolean());
        Assert.Equal(JsonValueKind.Null, answer.GetProperty("holderName").ValueKind);
        Assert.StartsWith("This record was removed on", answer.GetProperty("problem").GetString());
        Assert.Equal(revokedAt, answer.GetProperty("removed").GetProperty("endedAt").GetDateTimeOffset(), TimeSpan.FromSeconds(1));
        Assert.DoesNotContain("a-old", answer.ToString());
        Assert.DoesNotContain("Hopper", answer.ToString());
        await Problem.AssertAsync(await host.SendAsync(HttpMethod.Get, $"/api/verify/{deleted}"), HttpStatusCode.NotFound, "not-found");
        // A browser (a QR code scanned) is told the same: removed, with its dates, naming nobody; a deleted record is a 404 page.
        var removedPage = await Pages.Pages.GetOkPageAsync(host, $"/api/verify/{anonymised}");
        Assert.Equal("This record was removed", removedPage.QuerySelector("h1")?.TextContent);
        Assert.StartsWith("This record was removed on", removedPage.QuerySelector("[role=status] p")?.TextContent);
        Assert.Contains(anonymised, removedPage.Body!.TextContent);
        Assert.DoesNotContain("Hopper", removedPage.DocumentElement.OuterHtml);
        Assert.DoesNotContain("a-old", removedPage.DocumentElement.OuterHtml);
        Assert.Equal(HttpStatusCode.NotFound, (await Pages.Pages.GetPageAsync(host, $"/api/verify/{deleted}")).Response.StatusCode);

        var log = await PurgeLogAsync(host);
        Assert.Equal(new[] { anonymised, deleted }.Order(), log.Select(e => e.GetProperty("certificateId").GetString()).Order());
        Assert.All(log, e => Assert.Equal(
            ["certificateId", "dueSince", "endedAt", "expiresAt", "issuedAt", "mode", "policyVersion", "programId", "purgedAt", "purgedBy"],
            e.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal)));
        Assert.All(log, e => Assert.Equal(PurgeLogEntry.Sweep, e.GetProperty("purgedBy").GetString()));
        Assert.Equal(["anonymise", "delete"], log.OrderBy(e => e.GetProperty("certificateId").GetString() == deleted).Select(e => e.GetProperty("mode").GetString()));
        Assert.DoesNotContain(log, e => e.ToString().Contains("old@example.org", StringComparison.Ordinal) || e.ToString().Contains("Hopper", StringComparison.Ordinal));

        // The holding went with the record: the learner passes again and is issued a new credential.
        Assert.NotEqual(anonymised, await IssueAsync(host, anonymising, "a-old"));
    }

    private static async Task<int> RevokedInReportAsync(ApiHost host, string programId)
    {
        using var response = await host.SendAsync(HttpMethod.Get, "/api/reports/compliance?groupBy=program", role: Role.Auditor);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var groups = (await ApiHost.ReadJsonAsync(response)).GetProperty("groups").EnumerateArray();
        return groups.Where(g => g.GetProperty("group").GetString() == programId).Sum(g => g.GetProperty("counts").GetProperty("revoked").GetInt32());
    }

    [Fact]
    public async Task A_purged_credential_is_counted_in_no_compliance_report()
    {
        await using var host = await StartAsync();
        var program = await ProgramAsync(host, Retention(1, "credentialEnd", "anonymise"));
        foreach (var learner in new[] { "counted-1", "counted-2" }) await RevokeAsync(host, await IssueAsync(host, program, learner));
        Assert.Equal(2, await RevokedInReportAsync(host, program));

        _clock.Advance(TimeSpan.FromDays(367));
        Assert.Equal(2, (await SweepAsync(host)).Purged);

        Assert.Equal(0, await RevokedInReportAsync(host, program));
    }

    [Fact]
    public async Task A_re_run_purges_nothing_twice_and_the_log_keeps_one_entry_per_record()
    {
        await using var host = await StartAsync();
        var program = await ProgramAsync(host, Retention(1, "credentialEnd", "delete"));
        var id = await IssueAsync(host, program, "once");
        await RevokeAsync(host, id);
        _clock.Advance(TimeSpan.FromDays(367));

        Assert.Equal(1, (await SweepAsync(host)).Purged);
        Assert.Equal(new RetentionReport(0, 0, 0, 0), await SweepAsync(host));
        Assert.Single(await PurgeLogAsync(host));
    }

    [Fact]
    public async Task A_crash_between_the_logs_write_and_the_records_removal_is_finished_by_the_next_run()
    {
        await using var host = await StartAsync();
        var program = await ProgramAsync(host, Retention(1, "credentialEnd", "anonymise"));
        var id = await IssueAsync(host, program, "crash");
        await RevokeAsync(host, id);
        _clock.Advance(TimeSpan.FromDays(367));
        _crash.DieAfterNextAppend = true;

        var crashed = await SweepAsync(host);

        Assert.Equal((1, 0, 1), (crashed.Examined, crashed.Purged, crashed.Failed));
        Assert.NotNull(await host.Services.GetRequiredService<IPurgeLog>().GetAsync(id, CancellationToken.None));
        Assert.Equal(HttpStatusCode.OK, await RecordStatusAsync(host, id));

        // A hold placed after the decision does not undo it: the entry says it was decided.
        using (var held = await HoldAsync(host, "learners", "lms:crash")) Assert.Equal(HttpStatusCode.Created, held.StatusCode);
        var report = await SweepAsync(host);

        Assert.Equal((1, 1, 0), (report.Examined, report.Purged, report.Failed));
        Assert.Equal(HttpStatusCode.NotFound, await RecordStatusAsync(host, id));
        Assert.Equal([id], (await PurgeLogAsync(host)).Select(e => e.GetProperty("certificateId").GetString()));
    }

    [Theory]
    [InlineData("learners")]
    [InlineData("programs")]
    public async Task A_legal_hold_stops_the_purge_while_it_stands_and_once_lifted_the_next_run_purges(string subject)
    {
        await using var host = await StartAsync();
        var program = await ProgramAsync(host, Retention(1, "credentialEnd", "delete"));
        var id = await IssueAsync(host, program, "held");
        await RevokeAsync(host, id);
        var subjectId = subject == "learners" ? "lms:held" : program;
        using (var placed = await HoldAsync(host, subject, subjectId)) Assert.Equal(HttpStatusCode.Created, placed.StatusCode);
        _clock.Advance(TimeSpan.FromDays(367));
        var before = await StoredAsync(host);

        Assert.Equal(new RetentionReport(1, 0, 1, 0), await SweepAsync(host));
        // Not the record only: its receipt, its holding, every document is as it was.
        Assert.Equal(before, await StoredAsync(host));
        Assert.Equal(HttpStatusCode.OK, await RecordStatusAsync(host, id));
        Assert.Empty(await PurgeLogAsync(host));

        using var listed = await host.SendAsync(HttpMethod.Get, "/api/legal-holds", role: Role.Auditor);
        var hold = Assert.Single((await ApiHost.ReadJsonAsync(listed)).GetProperty("holds").EnumerateArray());
        Assert.Equal((subject[..^1], subjectId, "user:tester"), (hold.GetProperty("subject").GetString(), hold.GetProperty("subjectId").GetString(), hold.GetProperty("standing").GetProperty("placedBy").GetString()));

        using var lifted = await HoldAsync(host, subject, subjectId, "/lift", new { reason = "Case settled" });
        Assert.Equal(HttpStatusCode.OK, lifted.StatusCode);
        Assert.Equal(["placed", "lifted"], (await ApiHost.ReadJsonAsync(lifted)).GetProperty("history").EnumerateArray().Select(h => h.GetProperty("change").GetString()));
        Assert.Equal(1, (await SweepAsync(host)).Purged);
        Assert.Equal(HttpStatusCode.NotFound, await RecordStatusAsync(host, id));
        using var none = await host.SendAsync(HttpMethod.Get, "/api/legal-holds", role: Role.Administrator);
        Assert.Empty((await ApiHost.ReadJsonAsync(none)).GetProperty("holds").EnumerateArray());
    }

    [Fact]
    public async Task Counted_from_employment_a_record_is_kept_while_the_learner_is_employed_and_purged_years_after_they_leave()
    {
        await using var host = await StartAsync();
        var program = await ProgramAsync(host, Retention(2, "employmentEnd", "anonymise"));
        var (leaver, stayer) = (await IssueAsync(host, program, "leaver"), await IssueAsync(host, program, "stayer"));
        await RevokeAsync(host, stayer);
        using (var left = await host.SendAsync(HttpMethod.Post, $"/api/credentials/{leaver}/tracking-end", new { reason = "Left the company" }, Role.ProgramManager))
            Assert.Equal(HttpStatusCode.OK, left.StatusCode);

        _clock.Advance(TimeSpan.FromDays(2 * 365 - 2));
        Assert.Equal(0, (await SweepAsync(host)).Purged);
        _clock.Advance(TimeSpan.FromDays(4));
        Assert.Equal(1, (await SweepAsync(host)).Purged);

        Assert.Equal(HttpStatusCode.NotFound, await RecordStatusAsync(host, leaver));
        Assert.Equal(HttpStatusCode.OK, await RecordStatusAsync(host, stayer));
    }

    [Fact]
    public async Task A_policy_revised_on_the_program_applies_to_its_records_at_the_next_run_and_the_log_names_the_version()
    {
        await using var host = await StartAsync();
        var program = await ProgramAsync(host, Retention(5, "credentialEnd", "delete"));
        var id = await IssueAsync(host, program, "revised");
        await RevokeAsync(host, id);
        _clock.Advance(TimeSpan.FromDays(2 * 365 + 1));
        Assert.Equal(0, (await SweepAsync(host)).Purged);

        var revision = host.Request(HttpMethod.Put, $"/api/programs/{program}", Bodies.Program(validity: null).With("retention", Retention(2, "credentialEnd", "delete")), Role.ProgramManager);
        revision.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
        using (var revised = await host.Client.SendAsync(revision)) Assert.Equal(HttpStatusCode.OK, revised.StatusCode);

        Assert.Equal(1, (await SweepAsync(host)).Purged);
        Assert.Equal(2, Assert.Single(await PurgeLogAsync(host)).GetProperty("policyVersion").GetInt32());
    }

    [Fact]
    public async Task After_a_purge_no_document_in_any_container_holds_the_learners_name_email_or_LMS_id()
    {
        await using var host = await StartAsync();
        var activity = XapiStatements.NewActivity();
        var program = await ProgramAsync(host, Retention(1, "credentialEnd", "anonymise"), activity);
        var keeping = await ProgramAsync(host, null);
        var purged = await IssueAsync(host, program, "learner-gone");
        // Two more passes that find the credential held, by the LMS and forwarded as xAPI: receipts that name it too.
        await PassAgainAsync(host, program, "learner-gone", "evt-gone-again");
        Assert.Equal("alreadyHeld", (await ForwardAsync(host, StatementOf(activity, "learner-gone"))).GetProperty("outcome").GetString());
        var bulk = await IssueInBulkAsync(host, program, "learner-bulk");
        await IssueAsync(host, keeping, "learner-stays");
        foreach (var id in new[] { purged, bulk }) await RevokeAsync(host, id);
        _clock.Advance(TimeSpan.FromDays(367));

        Assert.Equal(2, (await SweepAsync(host)).Purged);

        var stored = await StoredAsync(host);
        foreach (var learner in new[] { "learner-gone", "learner-bulk" })
            foreach (var trace in new[] { NameOf(learner), EmailOf(learner), $"\"{learner}\"", $"lms:{learner}" })
                foreach (var (container, documents) in stored)
                    Assert.False(documents.Any(d => d.Contains(trace, StringComparison.OrdinalIgnoreCase)), $"{container} still holds {trace}");
        // The scan finds a learner where they are kept: the other program's record and its receipt.
        Assert.Equal(2, stored.Values.SelectMany(d => d).Count(d => d.Contains(NameOf("learner-stays"), StringComparison.Ordinal)));
        // The LMS's three receipts of the purged credential stay, each naming only the event, the program and the credential; the bulk run's is gone.
        Assert.Equal(3, stored[CosmosLayout.Receipts.Name].Count(d => d.Contains(purged, StringComparison.Ordinal)));
        Assert.DoesNotContain(stored[CosmosLayout.Receipts.Name], d => d.Contains(bulk, StringComparison.Ordinal));
    }

    /// <summary>The learner issued in a bulk run of one, run to its end: their row, their receipt under the run's event id.</summary>
    private async Task<string> IssueInBulkAsync(ApiHost host, string programId, string learner)
    {
        var before = await Cohort.CertificatesOfAsync(host, programId);
        var row = new Dictionary<string, object?> { ["externalId"] = learner, ["fullLegalName"] = NameOf(learner), ["email"] = EmailOf(learner), ["completedAt"] = _clock.GetUtcNow().AddDays(-1), ["score"] = 88 };
        var request = host.Request(HttpMethod.Post, $"/api/programs/{programId}/issuances", role: Role.ProgramManager);
        request.Content = Cohort.Json([row]);
        using var started = await host.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var status = await host.ReadUntilAsync(started.Headers.Location!.ToString(), s => s.GetProperty("finished").GetBoolean());
        Assert.Equal(1, status.GetProperty("issued").GetInt32());
        return Assert.Single((await Cohort.CertificatesOfAsync(host, programId)).Except(before));
    }

    [Fact]
    public async Task The_purged_credentials_events_delivered_again_answer_what_they_did_and_issue_nothing()
    {
        await using var host = await StartAsync();
        var activity = XapiStatements.NewActivity();
        var program = await ProgramAsync(host, Retention(1, "credentialEnd", "delete"), activity);
        var completion = CompletionOf(program, "learner-again", "evt-again");
        var statement = StatementOf(activity, "learner-again");
        string id;
        using (var first = await DeliverAsync(host, completion)) id = (await ApiHost.ReadJsonAsync(first)).GetProperty("certificateId").GetString()!;
        Assert.Equal("alreadyHeld", (await ForwardAsync(host, statement)).GetProperty("outcome").GetString());
        await RevokeAsync(host, id);
        _clock.Advance(TimeSpan.FromDays(367));
        Assert.Equal(1, (await SweepAsync(host)).Purged);
        var purgedAt = (await host.Services.GetRequiredService<IPurgeLog>().GetAsync(id, CancellationToken.None))!.PurgedAt;
        var before = await host.SnapshotCountsAsync();

        using var again = await DeliverAsync(host, completion);
        var forwardedAgain = await ForwardAsync(host, statement);

        // Nothing is issued, nor the purged record brought back from its receipt.
        Assert.Equal(before, await host.SnapshotCountsAsync());
        Assert.Equal(HttpStatusCode.NotFound, await RecordStatusAsync(host, id));
        // The same answer as the first delivery's, with when its credential went.
        var answer = await ApiHost.ReadJsonAsync(again);
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.Equal("true", again.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(("issued", id, purgedAt), (answer.GetProperty("action").GetString(), answer.GetProperty("certificateId").GetString(), answer.GetProperty("removedAt").GetDateTimeOffset()));
        Assert.Equal(("alreadyHeld", true), (forwardedAgain.GetProperty("outcome").GetString(), forwardedAgain.GetProperty("replayed").GetBoolean()));
        Assert.Equal((id, purgedAt), (forwardedAgain.GetProperty("completion").GetProperty("certificateId").GetString(), forwardedAgain.GetProperty("completion").GetProperty("removedAt").GetDateTimeOffset()));
        // A new event of the learner is a new pass, and issues a new credential.
        Assert.NotEqual(id, await IssueAsync(host, program, "learner-again"));
    }

    [Fact]
    public async Task A_younger_credential_of_the_same_learner_keeps_its_receipts_and_its_holding()
    {
        await using var host = await StartAsync();
        var program = await ProgramAsync(host, Retention(3, "credentialEnd", "anonymise"));
        var older = await IssueAsync(host, program, "learner-twice", "evt-older");
        await RevokeAsync(host, older);
        _clock.Advance(TimeSpan.FromDays(2 * 365));
        var younger = await IssueAsync(host, program, "learner-twice", "evt-younger");
        await PassAgainAsync(host, program, "learner-twice", "evt-younger-again");
        _clock.Advance(TimeSpan.FromDays(366 + 2));

        Assert.Equal(1, (await SweepAsync(host)).Purged);

        var purgedAt = (await host.Services.GetRequiredService<IPurgeLog>().GetAsync(older, CancellationToken.None))!.PurgedAt;
        var stripped = (await ReceiptAsync(host, "evt-older"))!;
        Assert.Equal((older, purgedAt, "", "", 0m), (stripped.CertificateId, stripped.RemovedAt, stripped.Completion.Learner.FullLegalName, stripped.Completion.Learner.Email, stripped.Completion.Score));
        foreach (var eventId in new[] { "evt-younger", "evt-younger-again" })
        {
            var kept = (await ReceiptAsync(host, eventId))!;
            Assert.Equal((younger, null, NameOf("learner-twice"), EmailOf("learner-twice")), (kept.CertificateId, kept.RemovedAt, kept.Completion.Learner.FullLegalName, kept.Completion.Learner.Email));
        }
        Assert.Equal(younger, (await host.Services.GetRequiredService<IHoldingStore>().GetAsync("lms:learner-twice", program, CancellationToken.None))?.Value.CertificateId);
        Assert.Equal(HttpStatusCode.OK, await RecordStatusAsync(host, younger));
    }

    [Fact]
    public async Task A_crash_after_the_logs_entry_and_one_receipt_is_finished_by_the_next_run_and_the_record_goes_last()
    {
        await using var host = await StartAsync();
        var program = await ProgramAsync(host, Retention(1, "credentialEnd", "anonymise"));
        var id = await IssueAsync(host, program, "learner-crash", "evt-crash");
        await PassAgainAsync(host, program, "learner-crash", "evt-crash-again");
        await RevokeAsync(host, id);
        _clock.Advance(TimeSpan.FromDays(367));
        _receiptCrash.Arm(Crash.ReceiptRemoved);

        var crashed = await SweepAsync(host);

        Assert.Equal((1, 0, 1), (crashed.Examined, crashed.Purged, crashed.Failed));
        var entry = await host.Services.GetRequiredService<IPurgeLog>().GetAsync(id, CancellationToken.None);
        Assert.NotNull(entry);
        var eventIds = new[] { "evt-crash", "evt-crash-again" };
        Assert.Single(await Task.WhenAll(eventIds.Select(e => ReceiptAsync(host, e))), r => r!.RemovedAt is not null);
        // What is left of the purge is found through the record, which goes last, and the holding with it.
        Assert.Equal(HttpStatusCode.OK, await RecordStatusAsync(host, id));
        var holdings = host.Services.GetRequiredService<IHoldingStore>();
        Assert.NotNull(await holdings.GetAsync("lms:learner-crash", program, CancellationToken.None));

        var report = await SweepAsync(host);

        Assert.Equal((1, 1, 0), (report.Examined, report.Purged, report.Failed));
        Assert.All(await Task.WhenAll(eventIds.Select(e => ReceiptAsync(host, e))), r => Assert.Equal((entry.PurgedAt, ""), (r!.RemovedAt, r.Completion.Learner.FullLegalName)));
        Assert.Null(await holdings.GetAsync("lms:learner-crash", program, CancellationToken.None));
        Assert.Equal(HttpStatusCode.NotFound, await RecordStatusAsync(host, id));
        Assert.Equal([id], (await PurgeLogAsync(host)).Select(e => e.GetProperty("certificateId").GetString()));
    }

    [Fact]
    public async Task An_exam_results_receipt_goes_with_its_credential_and_the_result_delivered_again_is_answered_by_the_application()
    {
        await using var host = await StartAsync();
        var program = await host.CreateProgramAsync(Applicants.Program(fee: false).With("retention", Retention(1, "credentialEnd", "anonymise")));
        var (applicationId, _) = await host.ApplyAsync(program);
        using (var approved = await host.SendAsync(HttpMethod.Post, $"/api/applications/{applicationId}/approve", new { }, Role.ProgramManager))
            Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        var result = JsonSerializer.Serialize(new { resultId = "exr-purged", applicationId, score = 91, takenAt = _clock.GetUtcNow().AddMinutes(-30) }, CredentialJson.Options);
        string id;
        using (var passed = await host.Client.SendAsync(ApiHost.SignedExamResult(result, _clock.GetUtcNow())))
            id = (await ApiHost.ReadJsonAsync(passed)).GetProperty("certificateId").GetString()!;
        var eventId = $"application:{applicationId}:exr-purged";
        Assert.NotNull(await ReceiptAsync(host, eventId));
        await RevokeAsync(host, id);
        _clock.Advance(TimeSpan.FromDays(367));

        Assert.Equal(1, (await SweepAsync(host)).Purged);

        Assert.Null(await ReceiptAsync(host, eventId));
        var before = await host.SnapshotCountsAsync();
        using var again = await host.Client.SendAsync(ApiHost.SignedExamResult(result, _clock.GetUtcNow()));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal("true", again.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(id, (await ApiHost.ReadJsonAsync(again)).GetProperty("certificateId").GetString());
        Assert.Equal(before, await host.SnapshotCountsAsync());
        Assert.Equal(HttpStatusCode.NotFound, await RecordStatusAsync(host, id));
    }

    [Fact]
    public async Task A_delivery_that_read_its_receipt_just_before_the_purge_stripped_it_does_not_bring_the_record_back()
    {
        await using var host = await StartAsync();
        var program = await ProgramAsync(host, Retention(1, "credentialEnd", "anonymise"));
        var completion = CompletionOf(program, "learner-race", "evt-race");
        string id;
        using (var first = await DeliverAsync(host, completion)) id = (await ApiHost.ReadJsonAsync(first)).GetProperty("certificateId").GetString()!;
        await RevokeAsync(host, id);
        _clock.Advance(TimeSpan.FromDays(367));
        var gate = (ReceiptGate)host.Services.GetRequiredService<IReceiptStore>();
        gate.HoldAfterRead(IssuanceService.ReceiptKey("evt-race"));

        // The LMS's retry has read the receipt, with the learner still in it, when the purge runs whole.
        var delivery = DeliverAsync(host, completion);
        await gate.Reached.WaitAsync(TimeSpan.FromMinutes(1));
        Assert.Equal(1, (await SweepAsync(host)).Purged);
        gate.Release();
        using var again = await delivery;

        Assert.Equal(HttpStatusCode.NotFound, await RecordStatusAsync(host, id));
        Assert.Equal(0, await host.CountAsync(CosmosLayout.Credentials));
        var purgedAt = (await host.Services.GetRequiredService<IPurgeLog>().GetAsync(id, CancellationToken.None))!.PurgedAt;
        var answer = await ApiHost.ReadJsonAsync(again);
        Assert.Equal(("issued", id, purgedAt), (answer.GetProperty("action").GetString(), answer.GetProperty("certificateId").GetString(), answer.GetProperty("removedAt").GetDateTimeOffset()));
    }
}
