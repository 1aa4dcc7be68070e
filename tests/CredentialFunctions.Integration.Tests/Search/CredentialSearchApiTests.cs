using System.Net;
using System.Text.Json;
using CredentialFunctions.Application.Access;
using CredentialFunctions.Application.Search;
using CredentialFunctions.Domain.Credentials;
using CredentialFunctions.Integration.Tests.Api;
using CredentialFunctions.Testing.Api;

namespace CredentialFunctions.Integration.Tests.Search;

/// <summary>
/// Searches through the route over generated records, each compared with a brute-force filter and
/// sort of the same records at the search's instant, read page by page with the clock moving on.
/// </summary>
public sealed class CredentialSearchApiTests(SearchFixture fixture) : IClassFixture<SearchFixture>
{
    private readonly ApiHost _api = fixture.Host;

    private static readonly Dictionary<string, Func<Credential, string?>> SortKeys = new()
    {
        ["issuedAt"] = c => Instant(c.IssuedAt),
        ["expiresAt"] = c => c.ExpiresAt is { } e ? Instant(e) : null,
        ["completedAt"] = c => Instant(c.Completion.CompletedAt),
        ["legalName"] = c => SearchText.Fold(c.Holder.LegalName),
    };

    private static string Instant(DateTimeOffset at) => at.UtcDateTime.ToString("O");

    private static DateTimeOffset ParseInstant(string text)
        => DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal);

    /// <summary>What the search must answer, worked out from the records themselves, not from the query the store runs.</summary>
    private static List<string> BruteForce(IEnumerable<Credential> credentials, IReadOnlyDictionary<string, string> p, DateTimeOffset at)
    {
        bool Has(string name, out string value) => p.TryGetValue(name, out value!);
        bool InRange(DateTimeOffset? instant, string from, string to)
            => (!Has(from, out var f) || instant >= ParseInstant(f)) && (!Has(to, out var t) || instant < ParseInstant(t)) && (instant is not null || (!p.ContainsKey(from) && !p.ContainsKey(to)));
        var matching = credentials.Where(c =>
            (!Has("learnerId", out var learner) || c.Holder.LearnerId == learner)
            && (!Has("name", out var name) || SearchText.Fold(c.Holder.LegalName).StartsWith(SearchText.Fold(name), StringComparison.Ordinal))
            && (!Has("externalId", out var external) || c.Holder.LmsId == external || c.Holder.HrId == external)
            && (!Has("email", out var email) || string.Equals(c.Holder.Email, email, StringComparison.OrdinalIgnoreCase))
            && (!Has("programId", out var program) || c.Program.ProgramId == program)
            && (!Has("status", out var statuses) || statuses.Split(',').Contains(JsonNamingPolicy.CamelCase.ConvertName(c.StatusAt(at).ToString())))
            && InRange(c.ExpiresAt, "expiresFrom", "expiresTo")
            && InRange(c.Completion.CompletedAt, "completedFrom", "completedTo")
            && (!Has("team", out var team) || c.Placement.Team == team)
            && (!Has("cohort", out var cohort) || c.Placement.Cohort == cohort)
            && (!Has("jobSite", out var site) || c.Placement.JobSite == site)
            && (!Has("contentVersion", out var content) || c.ContentVersion == content)
            && (!Has("regulatoryModule", out var module) || c.RegulatoryModule == module));
        var sort = p.GetValueOrDefault("sort", "-issuedAt");
        var descending = sort.StartsWith('-');
        var key = SortKeys[sort.TrimStart('-')];
        // Null (no expiry) sorts before any instant, as in Cosmos DB; the id breaks ties.
        var ordered = matching.OrderBy(c => key(c) is null ? 0 : 1).ThenBy(key, StringComparer.Ordinal).ThenBy(c => c.CertificateId, StringComparer.Ordinal);
        var ids = ordered.Select(c => c.CertificateId).ToList();
        if (descending) ids.Reverse();
        return ids;
    }

    private static string QueryString(IReadOnlyDictionary<string, string> p)
        => string.Join('&', p.Select(kv => $"{kv.Key}={Uri.EscapeDataString(kv.Value)}"));

    /// <summary>Every page of a search, the clock moving on by <paramref name="betweenPages"/>; answers the ids in order and the first page's instant.</summary>
    private async Task<(List<string> Ids, DateTimeOffset At, int Pages)> ReadAllAsync(IReadOnlyDictionary<string, string> p, TimeSpan betweenPages = default)
    {
        var (ids, token, pages) = (new List<string>(), (string?)null, 0);
        DateTimeOffset? at = null;
        do
        {
            var path = "/api/credentials?" + QueryString(p) + (token is null ? "" : "&continuationToken=" + Uri.EscapeDataString(token));
            using var response = await _api.SendAsync(HttpMethod.Get, path, role: Role.Auditor);
            var body = await ApiHost.ReadJsonAsync(response);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {body}");
            var pageAt = body.GetProperty("at").GetDateTimeOffset();
            Assert.Equal(at ?? pageAt, pageAt);
            at = pageAt;
            var items = body.GetProperty("items").EnumerateArray().ToList();
            Assert.True(items.Count <= int.Parse(p.GetValueOrDefault("pageSize", "50"), System.Globalization.CultureInfo.InvariantCulture));
            ids.AddRange(items.Select(i => i.GetProperty("certificateId").GetString()!));
            token = body.GetProperty("continuationToken").GetString();
            pages++;
            fixture.Clock.Advance(betweenPages);
        } while (token is not null);
        return (ids, at!.Value, pages);
    }

    private async Task AssertSearchAsync(Dictionary<string, string> p)
    {
        var (ids, at, _) = await ReadAllAsync(p);
        Assert.Equal(BruteForce(fixture.Credentials, p, at), ids);
    }

    public static TheoryData<string, string> EachFilter => new()
    {
        { "name", "ada" }, { "name", "ÁD" }, { "name", "=cmd" }, { "externalId", "7" }, { "externalId", "hr-8" }, { "email", "ADA.3@example.ORG" },
        { "learnerId", "lms:5" }, { "programId", "first-aid" }, { "status", "inGrace,lapsed" },
        { "team", "Blue" }, { "cohort", "2025-A" }, { "jobSite", "Site 3" }, { "contentVersion", "v7" }, { "regulatoryModule", "OSHA-1910" },
    };

    [Theory]
    [MemberData(nameof(EachFilter))]
    public async Task Each_filter_alone_answers_what_a_brute_force_filter_does(string name, string value)
        => await AssertSearchAsync(new() { [name] = value, ["pageSize"] = "7" });

    public static TheoryData<string> EveryStatus => new(CredentialQuery.StatusNames.Keys);

    /// <summary>Every status the domain has, so a new one without its condition in the store's query fails here.</summary>
    [Theory]
    [MemberData(nameof(EveryStatus))]
    public async Task Every_status_filter_agrees_with_the_records_own_status_at_the_instant(string status)
        => await AssertSearchAsync(new() { ["status"] = status, ["sort"] = "expiresAt", ["pageSize"] = "11" });

    [Theory]
    [InlineData("expiresFrom", "expiresTo", -200, 100)]
    [InlineData("completedFrom", "completedTo", -500, -100)]
    public async Task A_date_range_takes_its_start_and_leaves_out_its_end(string from, string to, int fromDays, int toDays)
    {
        var now = fixture.Clock.GetUtcNow();
        await AssertSearchAsync(new() { [from] = Instant(now.AddDays(fromDays)), [to] = Instant(now.AddDays(toDays)), ["pageSize"] = "9" });
        await AssertSearchAsync(new() { [from] = now.AddDays(fromDays).ToString("yyyy-MM-dd"), ["sort"] = "expiresAt" });
    }

    [Theory]
    [InlineData("issuedAt")]
    [InlineData("-issuedAt")]
    [InlineData("expiresAt")]
    [InlineData("-expiresAt")]
    [InlineData("completedAt")]
    [InlineData("-completedAt")]
    [InlineData("legalName")]
    [InlineData("-legalName")]
    public async Task Every_sort_key_pages_through_everything_without_gaps_or_repeats(string sort)
    {
        var (ids, at, pages) = await ReadAllAsync(new Dictionary<string, string> { ["sort"] = sort, ["pageSize"] = "13" });
        Assert.Equal(BruteForce(fixture.Credentials, new Dictionary<string, string> { ["sort"] = sort }, at), ids);
        Assert.Equal(SearchFixture.Count, ids.Distinct().Count());
        Assert.Equal(7, pages);
    }

    [Fact]
    public async Task Generated_combinations_of_filters_sorts_and_page_sizes_agree_with_the_brute_force()
    {
        var random = new Random(42);
        var now = fixture.Clock.GetUtcNow();
        var statusNames = CredentialQuery.StatusNames.Keys.ToArray();
        var generators = new Func<(string, string)>[]
        {
            () => ("name", SearchFixture.Names[random.Next(SearchFixture.Names.Length)][..random.Next(1, 4)].ToUpperInvariant()),
            () => ("programId", new[] { "forklift", "first-aid", "orientation" }[random.Next(3)]),
            () => ("status", string.Join(',', statusNames.OrderBy(_ => random.Next()).Take(random.Next(1, 4)))),
            () => ("expiresFrom", Instant(now.AddDays(random.Next(-400, 400)))),
            () => ("expiresTo", Instant(now.AddDays(random.Next(400, 900)))),
            () => ("completedFrom", Instant(now.AddDays(random.Next(-900, -300)))),
            () => ("team", SearchFixture.Teams[random.Next(2)]!),
            () => ("cohort", SearchFixture.Cohorts[random.Next(2)]!),
            () => ("jobSite", SearchFixture.Sites[random.Next(2)]!),
            () => ("learnerId", $"lms:{random.Next(30)}"),
        };
        for (var run = 0; run < 25; run++)
        {
            var p = new Dictionary<string, string>();
            for (var n = random.Next(1, 4); p.Count < n;)
            {
                var (name, value) = generators[random.Next(generators.Length)]();
                p[name] = value;
            }
            p["sort"] = (random.Next(2) == 0 ? "-" : "") + SortKeys.Keys.ElementAt(random.Next(SortKeys.Count));
            p["pageSize"] = random.Next(1, 12).ToString(System.Globalization.CultureInfo.InvariantCulture);
            await AssertSearchAsync(p);
        }
    }

    [Fact]
    public async Task Every_page_of_a_search_judges_statuses_at_its_first_instant_however_late_it_is_read()
    {
        var p = new Dictionary<string, string> { ["status"] = "active,inRenewalWindow", ["sort"] = "expiresAt", ["pageSize"] = "4" };

        var (ids, at, pages) = await ReadAllAsync(p, betweenPages: TimeSpan.FromDays(20));

        Assert.True(pages > 2);
        Assert.Equal(BruteForce(fixture.Credentials, p, at), ids);
        Assert.NotEqual(ids, BruteForce(fixture.Credentials, p, fixture.Clock.GetUtcNow()));
    }

    [Fact]
    public async Task A_learner_sees_only_their_own_whatever_they_ask()
    {
        var own = await ApiHost.ReadJsonAsync(await _api.SendAsync(HttpMethod.Get, "/api/credentials?pageSize=200", role: Role.Learner, learnerId: "lms:4"));
        var expected = fixture.Credentials.Where(c => c.Holder.LearnerId == "lms:4").Select(c => c.CertificateId).Order().ToList();

        Assert.NotEmpty(expected);
        Assert.Equal(expected, own.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("certificateId").GetString()!).Order());
        var other = await _api.SendAsync(HttpMethod.Get, "/api/credentials?learnerId=lms:5", role: Role.Learner, learnerId: "lms:4");
        await Problem.AssertAsync(other, HttpStatusCode.Forbidden, "forbidden");
        await Problem.AssertAsync(await _api.SendAsync(HttpMethod.Get, "/api/credentials", role: Role.Learner), HttpStatusCode.Forbidden, "forbidden");
        await Problem.AssertAsync(await _api.SendAsync(HttpMethod.Get, "/api/credentials", role: Role.Supervisor), HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task A_learners_whole_history_comes_in_one_call_with_every_renewal()
    {
        var history = await ApiHost.ReadJsonAsync(await _api.SendAsync(HttpMethod.Get, "/api/learners/lms:6/credentials", role: Role.Auditor));
        var expected = BruteForce(fixture.Credentials, new Dictionary<string, string> { ["learnerId"] = "lms:6" }, history.GetProperty("at").GetDateTimeOffset());

        Assert.Equal(expected, history.GetProperty("credentials").EnumerateArray().Select(c => c.GetProperty("certificateId").GetString()!));
        Assert.All(history.GetProperty("credentials").EnumerateArray(), c => Assert.Equal(JsonValueKind.Array, c.GetProperty("renewalHistory").ValueKind));
        await Problem.AssertAsync(await _api.SendAsync(HttpMethod.Get, "/api/learners/lms:6/credentials", role: Role.Learner, learnerId: "lms:7"), HttpStatusCode.Forbidden, "forbidden");
        Assert.Equal(HttpStatusCode.OK, (await _api.SendAsync(HttpMethod.Get, "/api/learners/lms:6/credentials", role: Role.Learner, learnerId: "lms:6")).StatusCode);
    }

    [Theory]
    [InlineData("status=expired", "status")]
    [InlineData("expiresFrom=2026-05-01&expiresTo=2026-04-01", "expiresTo")]
    [InlineData("completedFrom=2026-05-01&completedTo=2026-05-01", "completedTo")]
    [InlineData("pageSize=500", "pageSize")]
    [InlineData("sort=score", "sort")]
    [InlineData("teem=Blue", "teem")]
    [InlineData("continuationToken=bm90IGEgdG9rZW4", "continuationToken")]
    [InlineData("continuationToken=%25%25%25", "continuationToken")]
    public async Task A_bad_filter_is_a_validation_problem_naming_it(string query, string field)
    {
        var response = await _api.SendAsync(HttpMethod.Get, "/api/credentials?" + query, role: Role.Auditor);
        var problem = await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "validation");
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Fact]
    public async Task A_token_from_another_search_or_a_forged_one_inside_is_refused()
    {
        var first = await ApiHost.ReadJsonAsync(await _api.SendAsync(HttpMethod.Get, "/api/credentials?team=Blue&pageSize=2", role: Role.Auditor));
        var token = first.GetProperty("continuationToken").GetString()!;

        var otherFilter = await _api.SendAsync(HttpMethod.Get, $"/api/credentials?team=Red&pageSize=2&continuationToken={Uri.EscapeDataString(token)}", role: Role.Auditor);
        var otherSort = await _api.SendAsync(HttpMethod.Get, $"/api/credentials?team=Blue&sort=legalName&continuationToken={Uri.EscapeDataString(token)}", role: Role.Auditor);
        // The envelope rewritten around a store token the store never gave.
        var envelope = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(System.Buffers.Text.Base64Url.DecodeFromChars(token))!;
        var forgedJson = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object> { ["query"] = envelope["query"], ["at"] = envelope["at"], ["store"] = "+RID:nonsense#RT:x" });
        var forged = await _api.SendAsync(HttpMethod.Get, $"/api/credentials?team=Blue&pageSize=2&continuationToken={System.Buffers.Text.Base64Url.EncodeToString(forgedJson)}", role: Role.Auditor);

        await Problem.AssertAsync(otherFilter, HttpStatusCode.BadRequest, "validation");
        await Problem.AssertAsync(otherSort, HttpStatusCode.BadRequest, "validation");
        await Problem.AssertAsync(forged, HttpStatusCode.BadRequest, "validation");
    }
}
