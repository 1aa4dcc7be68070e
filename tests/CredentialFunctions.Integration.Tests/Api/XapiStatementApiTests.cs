using System.Net;
using System.Text;
using System.Text.Json;
using CredentialFunctions.Adapters.Cosmos;
using CredentialFunctions.Application.Access;
using CredentialFunctions.Application.Integrations;
using CredentialFunctions.Testing.Api;

namespace CredentialFunctions.Integration.Tests.Api;

/// <summary>POST /api/webhooks/xapi/statements: statements an LRS forwards, as the xAPI and cmi5 specifications write them.</summary>
[Collection(ApiCollection.Name)]
public sealed class XapiStatementApiTests(ApiFixture fixture)
{
    private readonly ApiHost _api = fixture.Host;

    private async Task<(string ProgramId, string Activity)> ProgramCompletedByAsync(decimal passThreshold = 70, string kind = "initialCertification")
    {
        var activity = XapiStatements.NewActivity();
        var programId = await _api.CreateProgramAsync(Bodies.Program(passThreshold, kind).With("xapiActivities", new[] { activity }));
        return (programId, activity);
    }

    private async Task<(HttpResponseMessage Response, JsonElement[] Statements)> ForwardAsync(object body)
    {
        var response = await _api.Client.SendAsync(XapiStatements.Forward(body));
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (response, [.. (await ApiHost.ReadJsonAsync(response)).GetProperty("statements").EnumerateArray()]);
    }

    private static string Outcome(JsonElement statement) => statement.GetProperty("outcome").GetString()!;

    private Task<JsonElement> RecordAsync(string certificateId)
        => _api.SendAsync(HttpMethod.Get, $"/api/credentials/{certificateId}", role: Role.Auditor).ContinueWith(t => ApiHost.ReadJsonAsync(t.Result)).Unwrap();

    [Fact]
    public async Task The_specs_completion_example_as_a_pass_issues_to_the_mailbox_and_name_of_its_actor()
    {
        var (programId, activity) = await ProgramCompletedByAsync(passThreshold: 70);
        var statement = XapiStatements.SpecCompletion(activity, scaled: 0.95m, email: "example.learner@adlnet.example");

        var (response, statements) = await ForwardAsync(statement);

        Assert.Equal("1.0.3", response.Headers.GetValues("X-Experience-API-Version").Single());
        var result = Assert.Single(statements);
        Assert.Equal(("issued", statement["id"]), (Outcome(result), (object?)result.GetProperty("id").GetString()));
        var completion = result.GetProperty("completion");
        Assert.Equal(("xapi:" + statement["id"], programId), (completion.GetProperty("eventId").GetString(), completion.GetProperty("programId").GetString()));
        var record = await RecordAsync(completion.GetProperty("certificateId").GetString()!);
        var holder = record.GetProperty("holder");
        Assert.Equal(("Example Learner", "example.learner@adlnet.example"), (holder.GetProperty("legalName").GetString(), holder.GetProperty("email").GetString()));
        Assert.Equal(95m, record.GetProperty("completion").GetProperty("score").GetDecimal());
    }

    [Theory]
    [InlineData("0.6999", "failed")]
    [InlineData("0.70", "issued")]
    [InlineData("0.7001", "issued")]
    [InlineData("-0.5", "failed")]
    public async Task A_scaled_score_times_100_meets_the_programs_threshold_or_records_a_fail(string scaled, string outcome)
    {
        var (_, activity) = await ProgramCompletedByAsync(passThreshold: 70);
        var credentialsBefore = await _api.CountAsync(CosmosLayout.Credentials);

        var (_, statements) = await ForwardAsync(XapiStatements.SpecCompletion(activity, scaled: decimal.Parse(scaled, System.Globalization.CultureInfo.InvariantCulture)));

        var result = Assert.Single(statements);
        Assert.Equal(outcome, Outcome(result));
        Assert.Equal(credentialsBefore + (outcome == "issued" ? 1 : 0), await _api.CountAsync(CosmosLayout.Credentials));
        if (outcome == "issued")
            Assert.Equal(decimal.Parse(scaled, System.Globalization.CultureInfo.InvariantCulture) * 100,
                (await RecordAsync(result.GetProperty("completion").GetProperty("certificateId").GetString()!)).GetProperty("completion").GetProperty("score").GetDecimal());
    }

    [Fact]
    public async Task Cmi5s_passed_statement_issues_to_the_LMS_account_of_a_learner_on_record()
    {
        // The learner is on record from the signed LMS webhook (externalId = the account name), which gave their email.
        var account = "learner-" + Guid.NewGuid().ToString("N");
        var earlierProgram = await _api.CreateProgramAsync();
        await _api.IssueAsync(earlierProgram, Bodies.Completion(earlierProgram).With("learner", new { externalId = account, fullLegalName = "Learner's Name", email = "geology@example.org" }));
        var (programId, au) = await ProgramCompletedByAsync(passThreshold: 90);

        var (_, statements) = await ForwardAsync(XapiStatements.Cmi5Passed(au, account, scaled: 0.94m));

        var result = Assert.Single(statements);
        Assert.Equal("issued", Outcome(result));
        var record = await RecordAsync(result.GetProperty("completion").GetProperty("certificateId").GetString()!);
        Assert.Equal(($"lms:{account}", account, "geology@example.org", programId),
            (record.GetProperty("holder").GetProperty("learnerId").GetString(), record.GetProperty("holder").GetProperty("lmsId").GetString(),
             record.GetProperty("holder").GetProperty("email").GetString(), record.GetProperty("program").GetProperty("programId").GetString()));
    }

    [Fact]
    public async Task An_LMS_account_with_no_email_on_record_or_of_another_home_page_is_an_unknown_learner_and_nothing_is_written()
    {
        var (_, au) = await ProgramCompletedByAsync();
        var before = await _api.SnapshotCountsAsync();

        var (_, statements) = await ForwardAsync(new[]
        {
            XapiStatements.Cmi5Passed(au, "never-seen-" + Guid.NewGuid().ToString("N")),
            XapiStatements.Cmi5Passed(au, "someone", homePage: "https://other-lms.example.org"),
        });

        Assert.All(statements, s => Assert.Equal("unknownLearner", Outcome(s)));
        Assert.Contains("no email address on record", statements[0].GetProperty("reason").GetString());
        Assert.Contains(ApiHost.XapiLmsHomePage, statements[1].GetProperty("reason").GetString());
        Assert.Equal(before, await _api.SnapshotCountsAsync());
    }

    [Fact]
    public async Task A_mailbox_on_record_keeps_the_learners_LMS_id_so_the_program_is_held_once()
    {
        var (programId, activity) = await ProgramCompletedByAsync();
        var email = $"held-{Guid.NewGuid():N}@example.org";
        var held = await _api.IssueAsync(programId, Bodies.Completion(programId).With("learner", new { externalId = "lms-77-" + email, fullLegalName = "Ada King Lovelace", email }));

        var (_, statements) = await ForwardAsync(XapiStatements.SpecCompletion(activity, email: email.ToUpperInvariant()));

        var result = Assert.Single(statements);
        Assert.Equal(("alreadyHeld", held), (Outcome(result), result.GetProperty("completion").GetProperty("certificateId").GetString()));
    }

    [Fact]
    public async Task Cmi5s_satisfied_statement_without_a_score_completes_a_program_without_a_threshold_and_is_ignored_by_one_with()
    {
        var account = "learner-" + Guid.NewGuid().ToString("N");
        var earlierProgram = await _api.CreateProgramAsync();
        await _api.IssueAsync(earlierProgram, Bodies.Completion(earlierProgram).With("learner", new { externalId = account, fullLegalName = "Learner's Name", email = "satisfied@example.org" }));
        var (_, completionCourse) = await ProgramCompletedByAsync(passThreshold: 0, kind: "certificate");
        var (_, scoredCourse) = await ProgramCompletedByAsync(passThreshold: 70);

        var (_, statements) = await ForwardAsync(new[] { XapiStatements.Cmi5Satisfied(completionCourse, account), XapiStatements.Cmi5Satisfied(scoredCourse, account) });

        Assert.Equal(["issued", "ignored"], statements.Select(Outcome));
        Assert.Equal(0m, (await RecordAsync(statements[0].GetProperty("completion").GetProperty("certificateId").GetString()!)).GetProperty("completion").GetProperty("score").GetDecimal());
        Assert.Contains("no score", statements[1].GetProperty("reason").GetString());
    }

    [Fact]
    public async Task A_completed_statement_with_a_score_is_assessed_like_a_pass()
    {
        var (_, activity) = await ProgramCompletedByAsync(passThreshold: 70);

        var (_, statements) = await ForwardAsync(XapiStatements.SpecCompletion(activity, verb: XapiStatements.Completed, scaled: 0.8m));

        Assert.Equal("issued", Outcome(Assert.Single(statements)));
    }

    [Fact]
    public async Task A_failed_statement_records_a_fail_and_never_issues_even_with_a_score_our_threshold_would_pass()
    {
        var (_, activity) = await ProgramCompletedByAsync(passThreshold: 70);
        var credentialsBefore = await _api.CountAsync(CosmosLayout.Credentials);

        var (_, statements) = await ForwardAsync(new[]
        {
            XapiStatements.SpecCompletion(activity, verb: XapiStatements.Failed, scaled: 0.4m),
            XapiStatements.SpecCompletion(activity, verb: XapiStatements.Failed, scaled: 0.8m),
        });

        Assert.Equal(["failed", "ignored"], statements.Select(Outcome));
        Assert.Equal(credentialsBefore, await _api.CountAsync(CosmosLayout.Credentials));
    }

    [Fact]
    public async Task The_same_statement_twice_and_twice_within_one_forward_issues_once_and_answers_the_same()
    {
        var (_, activity) = await ProgramCompletedByAsync();
        var statement = XapiStatements.SpecCompletion(activity);
        var credentialsBefore = await _api.CountAsync(CosmosLayout.Credentials);

        var (_, inOne) = await ForwardAsync(new[] { statement, statement });
        var afterFirst = await _api.SnapshotCountsAsync();
        // The id in another case is the same UUID.
        var (_, again) = await ForwardAsync(statement.With("id", ((string)statement["id"]!).ToUpperInvariant()));

        Assert.Equal([("issued", false), ("issued", true)], inOne.Select(s => (Outcome(s), s.GetProperty("replayed").GetBoolean())));
        Assert.Equal(("issued", true), (Outcome(again[0]), again[0].GetProperty("replayed").GetBoolean()));
        Assert.Equal(inOne[0].GetProperty("completion").ToString(), again[0].GetProperty("completion").ToString());
        Assert.Equal(credentialsBefore + 1, await _api.CountAsync(CosmosLayout.Credentials));
        Assert.Equal(afterFirst, await _api.SnapshotCountsAsync());
    }

    [Fact]
    public async Task A_statement_recorded_once_answers_the_same_after_its_program_stops_naming_the_activity()
    {
        var (programId, activity) = await ProgramCompletedByAsync();
        var statement = XapiStatements.SpecCompletion(activity);
        var (_, first) = await ForwardAsync(statement);
        await _api.Client.SendAsync(ProgramRevision(programId, 1, Bodies.Program()));

        var (_, again) = await ForwardAsync(statement);
        var (_, fresh) = await ForwardAsync(XapiStatements.SpecCompletion(activity));

        Assert.Equal(first[0].GetProperty("completion").ToString(), again[0].GetProperty("completion").ToString());
        Assert.Equal("unknownActivity", Outcome(fresh[0]));
    }

    [Fact]
    public async Task Statements_with_other_verbs_or_objects_are_accepted_and_ignored_with_nothing_written()
    {
        var (_, activity) = await ProgramCompletedByAsync();
        var before = await _api.SnapshotCountsAsync();
        var specSimpleStatement = XapiStatements.SpecCompletion(activity, verb: "http://example.com/xapi/verbs#sent-a-statement").With("result", null);
        var aboutAnotherStatement = XapiStatements.SpecCompletion(activity).With("object", new { objectType = "StatementRef", id = Guid.NewGuid().ToString() });

        var (_, statements) = await ForwardAsync(new[] { XapiStatements.SpecCompletion(activity, verb: XapiStatements.Attempted), specSimpleStatement, aboutAnotherStatement });

        Assert.Equal(["ignored", "ignored", "ignored"], statements.Select(Outcome));
        Assert.Equal(before, await _api.SnapshotCountsAsync());
    }

    [Fact]
    public async Task An_activity_no_program_names_is_accepted_as_unknown_and_nothing_is_written()
    {
        var before = await _api.SnapshotCountsAsync();

        var (_, statements) = await ForwardAsync(XapiStatements.SpecCompletion(XapiStatements.NewActivity()));

        Assert.Equal("unknownActivity", Outcome(Assert.Single(statements)));
        Assert.Equal(before, await _api.SnapshotCountsAsync());
    }

    [Fact]
    public async Task A_forward_mixing_good_and_bad_statements_issues_the_good_and_says_what_became_of_each_in_order()
    {
        var (_, activity) = await ProgramCompletedByAsync();
        var credentialsBefore = await _api.CountAsync(CosmosLayout.Credentials);
        var hashedActor = XapiStatements.SpecCompletion(activity).With("actor", new { name = "Ena Hills", mbox_sha1sum = "ebd31e95054c018b10727ccffd2ef2ec3a016ee9" });
        var group = XapiStatements.SpecCompletion(activity).With("actor", new { objectType = "Group", name = "Team PB", mbox = "mailto:teampb@example.com" });
        var future = XapiStatements.SpecCompletion(activity).With("timestamp", DateTimeOffset.UtcNow.AddDays(1).ToString("O"));
        var nameless = XapiStatements.SpecCompletion(activity).With("actor", new { mbox = "mailto:nameless@example.org" });

        var (_, statements) = await ForwardAsync(new object[]
        {
            XapiStatements.SpecCompletion(activity), hashedActor, XapiStatements.SpecCompletion(XapiStatements.NewActivity()),
            XapiStatements.SpecCompletion(activity, verb: XapiStatements.Attempted), group, future, nameless, XapiStatements.SpecCompletion(activity, scaled: 0.1m),
        });

        Assert.Equal(["issued", "unknownLearner", "unknownActivity", "ignored", "unknownLearner", "refused", "unknownLearner", "failed"], statements.Select(Outcome));
        Assert.True(statements[5].GetProperty("errors").TryGetProperty("completedAt", out _));
        Assert.Equal(credentialsBefore + 1, await _api.CountAsync(CosmosLayout.Credentials));
    }

    public static TheoryData<string, string> BadBodies => new()
    {
        { "{not json", "body" },
        { "42", "body" },
        { "[]", "body" },
        { """[{"actor":{"mbox":"mailto:a@example.org","name":"A"},"verb":{"id":"http://adlnet.gov/expapi/verbs/passed"},"object":{"id":"http://example.org/a"}}]""", "statements[0].id" },
        { """{"id":"not-a-uuid","actor":{"mbox":"mailto:a@example.org"},"verb":{"id":"http://adlnet.gov/expapi/verbs/passed"},"object":{"id":"http://example.org/a"}}""", "statements[0].id" },
        { """{"id":"fd41c918-b88b-4b20-a0a5-a4c32391aaa0","actor":{"mbox":"a@example.org"},"verb":{"id":"http://adlnet.gov/expapi/verbs/passed"},"object":{"id":"http://example.org/a"}}""", "statements[0].actor.mbox" },
        { """{"id":"fd41c918-b88b-4b20-a0a5-a4c32391aaa0","actor":{"mbox":"mailto:a@example.org","account":{"homePage":"https://lms.example.org","name":"a"}},"verb":{"id":"http://adlnet.gov/expapi/verbs/passed"},"object":{"id":"http://example.org/a"}}""", "statements[0].actor" },
        { """{"id":"fd41c918-b88b-4b20-a0a5-a4c32391aaa0","actor":{"mbox":"mailto:a@example.org"},"verb":{"id":"passed"},"object":{"id":"http://example.org/a"}}""", "statements[0].verb.id" },
        { """{"id":"fd41c918-b88b-4b20-a0a5-a4c32391aaa0","actor":{"mbox":"mailto:a@example.org"},"verb":{"id":"http://adlnet.gov/expapi/verbs/passed"}}""", "statements[0].object" },
        { """{"id":"fd41c918-b88b-4b20-a0a5-a4c32391aaa0","actor":{"mbox":"mailto:a@example.org"},"verb":{"id":"http://adlnet.gov/expapi/verbs/passed"},"object":{"id":"http://example.org/a"},"result":{"score":{"scaled":1.5}}}""", "statements[0].result.score.scaled" },
        { """{"id":"fd41c918-b88b-4b20-a0a5-a4c32391aaa0","actor":{"mbox":"mailto:a@example.org"},"verb":{"id":"http://adlnet.gov/expapi/verbs/passed"},"object":{"id":"http://example.org/a"},"result":{"score":{"raw":120,"min":0,"max":100}}}""", "statements[0].result.score.raw" },
        { """{"id":"fd41c918-b88b-4b20-a0a5-a4c32391aaa0","actor":{"mbox":"mailto:a@example.org"},"verb":{"id":"http://adlnet.gov/expapi/verbs/passed"},"object":{"id":"http://example.org/a"},"timestamp":"yesterday"}""", "timestamp" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task A_body_that_is_not_statements_is_refused_whole_with_nothing_written(string body, string field)
    {
        var before = await _api.SnapshotCountsAsync();

        var problem = await Problem.AssertAsync(await _api.Client.SendAsync(XapiStatements.Forward(body)), HttpStatusCode.BadRequest, "validation");

        Assert.Contains(problem.GetProperty("errors").EnumerateObject(), e => e.Name.Contains(field, StringComparison.Ordinal));
        Assert.Equal(before, await _api.SnapshotCountsAsync());
    }

    [Fact]
    public async Task One_invalid_statement_refuses_the_whole_forward_before_the_valid_ones_are_recorded()
    {
        var (_, activity) = await ProgramCompletedByAsync();
        var before = await _api.SnapshotCountsAsync();

        await Problem.AssertAsync(await _api.Client.SendAsync(XapiStatements.Forward(new[] { XapiStatements.SpecCompletion(activity), XapiStatements.SpecCompletion(activity).With("id", null) })),
            HttpStatusCode.BadRequest, "validation");

        Assert.Equal(before, await _api.SnapshotCountsAsync());
    }

    public static TheoryData<string?> Unauthenticated => new()
    {
        null,
        LrsBasicCredentials.Header("lrs", "not-the-secret"),
        LrsBasicCredentials.Header("someone-else", ApiHost.XapiSecret),
        "Basic not-base64!",
        "Bearer " + ApiHost.XapiSecret,
    };

    [Theory]
    [MemberData(nameof(Unauthenticated))]
    public async Task A_forward_without_the_LRSs_credentials_is_401_asking_for_Basic_and_nothing_is_written(string? authorization)
    {
        var (_, activity) = await ProgramCompletedByAsync();
        var before = await _api.SnapshotCountsAsync();
        var request = XapiStatements.Forward(XapiStatements.SpecCompletion(activity), authorization: authorization ?? "");
        if (authorization is null) request.Headers.Remove("Authorization");

        var response = await _api.Client.SendAsync(request);

        await Problem.AssertAsync(response, HttpStatusCode.Unauthorized, "unauthenticated");
        Assert.StartsWith("Basic realm=\"xapi\"", response.Headers.WwwAuthenticate.ToString());
        Assert.Equal(before, await _api.SnapshotCountsAsync());
    }

    [Fact]
    public async Task Our_webhook_signature_admits_too_and_a_bad_one_is_refused_even_with_good_Basic_credentials()
    {
        var (_, activity) = await ProgramCompletedByAsync();
        var body = JsonSerializer.Serialize(XapiStatements.SpecCompletion(activity), Application.CredentialJson.Options);
        HttpRequestMessage Signed(string secret)
        {
            var request = XapiStatements.Forward(body);
            request.Headers.TryAddWithoutValidation(WebhookSignature.Header, WebhookSignature.Sign(secret, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), Encoding.UTF8.GetBytes(body)));
            return request;
        }
        var before = await _api.SnapshotCountsAsync();

        await Problem.AssertAsync(await _api.Client.SendAsync(Signed("not-the-secret")), HttpStatusCode.Unauthorized, "bad-signature");
        Assert.Equal(before, await _api.SnapshotCountsAsync());
        var signed = Signed(ApiHost.XapiSecret);
        signed.Headers.Remove("Authorization");
        var admitted = await _api.Client.SendAsync(signed);

        Assert.Equal(HttpStatusCode.OK, admitted.StatusCode);
        Assert.Equal("issued", (await ApiHost.ReadJsonAsync(admitted)).GetProperty("statements")[0].GetProperty("outcome").GetString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("0.95")]
    [InlineData("1.1.0")]
    [InlineData("2.1.0")]
    [InlineData("1.0.x")]
    public async Task A_forward_without_a_spoken_xAPI_version_is_400_and_says_the_version_spoken(string? version)
    {
        var (_, activity) = await ProgramCompletedByAsync();
        var before = await _api.SnapshotCountsAsync();

        var response = await _api.Client.SendAsync(XapiStatements.Forward(XapiStatements.SpecCompletion(activity), version: version));

        await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "xapi-version");
        Assert.Equal("2.0.0", response.Headers.GetValues("X-Experience-API-Version").Single());
        Assert.Equal(before, await _api.SnapshotCountsAsync());
    }

    [Theory]
    [InlineData("1.0", "1.0.3")]
    [InlineData("1.0.0", "1.0.3")]
    [InlineData("1.0.3", "1.0.3")]
    [InlineData("2.0.0", "2.0.0")]
    public async Task Every_1_0_and_2_0_version_is_spoken_and_answered_with_its_latest_patch(string version, string answered)
    {
        var response = await _api.Client.SendAsync(XapiStatements.Forward(XapiStatements.SpecCompletion(XapiStatements.NewActivity()), version: version));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(answered, response.Headers.GetValues("X-Experience-API-Version").Single());
    }

    private static HttpRequestMessage ProgramRevision(string programId, int version, object body)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, $"/api/programs/{programId}") { Content = ApiHost.Json(body) };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", ApiHost.TokenFor(Role.ProgramManager));
        request.Headers.TryAddWithoutValidation("If-Match", $"\"{version}\"");
        return request;
    }
}
