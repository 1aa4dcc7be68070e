using System.Net;
using CredentialFunctions.Adapters.Access;
using CredentialFunctions.Application.Access;
using CredentialFunctions.Testing.Api;

namespace CredentialFunctions.Integration.Tests.Api;

[Collection(ApiCollection.Name)]
public sealed class ProgramApiTests(ApiFixture fixture)
{
    private readonly ApiHost _api = fixture.Host;

    private async Task<(string Id, HttpResponseMessage Response)> CreateAsync(object? body = null)
    {
        var response = await _api.SendAsync(HttpMethod.Post, "/api/programs", body ?? Bodies.Program(), Role.ProgramManager);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return ((await ApiHost.ReadJsonAsync(response)).GetProperty("programId").GetString()!, response);
    }

    [Fact]
    public async Task A_program_manager_creates_a_program_with_the_seeds_defaults()
    {
        var (id, response) = await CreateAsync(Bodies.Program().Without("renewal").With("renewal", new { validity = "P2Y" }));
        Assert.Equal($"/api/programs/{id}", response.Headers.Location?.ToString());
        Assert.Equal("\"1\"", response.Headers.ETag?.Tag);
        var renewal = (await ApiHost.ReadJsonAsync(response)).GetProperty("definition").GetProperty("renewal");
        Assert.Equal(["P90D", "P60D", "P30D"], renewal.GetProperty("reminderOffsets").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(("P2Y", "P30D"), (renewal.GetProperty("validity").GetString(), renewal.GetProperty("gracePeriod").GetString()));
        Assert.Equal("reviewRequired", renewal.GetProperty("creditAttestation").GetString());
    }

    [Fact]
    public async Task A_revision_makes_a_new_version_and_the_old_one_stays_readable()
    {
        var (id, _) = await CreateAsync();
        var put = _api.Request(HttpMethod.Put, $"/api/programs/{id}", Bodies.Program(passThreshold: 80), Role.Administrator);
        put.Headers.IfMatch.Add(new System.Net.Http.Headers.EntityTagHeaderValue("\"1\""));
        var revised = await _api.Client.SendAsync(put);
        Assert.Equal(HttpStatusCode.OK, revised.StatusCode);
        Assert.Equal(2, (await ApiHost.ReadJsonAsync(revised)).GetProperty("version").GetInt32());

        var current = await ApiHost.ReadJsonAsync(await _api.SendAsync(HttpMethod.Get, $"/api/programs/{id}", role: Role.Auditor));
        var first = await ApiHost.ReadJsonAsync(await _api.SendAsync(HttpMethod.Get, $"/api/programs/{id}?version=1", role: Role.Auditor));
        Assert.Equal((80m, 70m), (current.GetProperty("definition").GetProperty("passThreshold").GetDecimal(), first.GetProperty("definition").GetProperty("passThreshold").GetDecimal()));
    }

    [Fact]
    public async Task A_revision_of_a_stale_version_is_refused_so_no_change_is_lost()
    {
        var (id, _) = await CreateAsync();
        for (var attempt = 0; attempt < 2; attempt++)
        {
            var put = _api.Request(HttpMethod.Put, $"/api/programs/{id}", Bodies.Program(passThreshold: 60 + attempt), Role.ProgramManager);
            put.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
            var response = await _api.Client.SendAsync(put);
            Assert.Equal(attempt == 0 ? HttpStatusCode.OK : HttpStatusCode.PreconditionFailed, response.StatusCode);
        }
    }

    [Fact]
    public async Task A_revision_without_if_match_is_refused_with_428()
    {
        var (id, _) = await CreateAsync();
        var response = await _api.SendAsync(HttpMethod.Put, $"/api/programs/{id}", Bodies.Program(), Role.ProgramManager);
        await Problem.AssertAsync(response, HttpStatusCode.PreconditionRequired, "precondition-required");
    }

    [Fact]
    public async Task A_revision_whose_if_match_is_not_a_version_is_400_and_changes_nothing()
    {
        var (id, _) = await CreateAsync();
        var put = _api.Request(HttpMethod.Put, $"/api/programs/{id}", Bodies.Program(passThreshold: 50), Role.ProgramManager);
        put.Headers.TryAddWithoutValidation("If-Match", "\"latest\"");
        await Problem.AssertAsync(await _api.Client.SendAsync(put), HttpStatusCode.BadRequest, "invalid-if-match");
        var current = await ApiHost.ReadJsonAsync(await _api.SendAsync(HttpMethod.Get, $"/api/programs/{id}", role: Role.Auditor));
        Assert.Equal(1, current.GetProperty("version").GetInt32());
    }

    public static TheoryData<string, string, string> BadBodies => new()
    {
        { "{\"name\": ", "body", "malformed JSON" },
        { "[]", "body", "an array" },
        { "null", "body", "null" },
        { """{"kind":"certificate","issuingOrganization":"Board","passThreshold":70}""", "name", "a missing name" },
        { """{"name":"N","kind":"certificate","issuingOrganization":"Board","passThreshold":"high"}""", "passThreshold", "a threshold of the wrong type" },
        { """{"name":"N","kind":"certificate","issuingOrganization":"Board","passThreshold":120}""", "passThreshold", "a threshold over 100" },
        { """{"name":"N","kind":"diploma","issuingOrganization":"Board","passThreshold":70}""", "kind", "an unknown kind" },
        { """{"name":"N","kind":"certificate","issuingOrganization":"Board","passThreshold":70,"renewal":{"validity":"1 year"}}""", "renewal.validity", "a validity that is not ISO-8601" },
        { """{"name":"N","kind":"certificate","issuingOrganization":"Board","passThreshold":70,"renewal":{"validity":"P20D"}}""", "renewal.reminderOffsets", "reminders longer than the validity" },
        { """{"name":"N","kind":"certificate","issuingOrganization":"Board","passThreshold":70,"renewal":{"validity":"P1Y","creditAttestation":"onTrust"}}""", "renewal.creditAttestation", "an unknown credit attestation" },
        { """{"name":"","kind":"certificate","issuingOrganization":"Board","passThreshold":70}""", "name", "an empty name" },
        { """{"name":"Forklift\nOperator","kind":"certificate","issuingOrganization":"Board","passThreshold":70}""", "name", "a line break in the name" },
        { """{"name":"N","kind":"certificate","issuingOrganization":"Board \u202E","passThreshold":70}""", "issuingOrganization", "a bidirectional override in the issuer" },
        { """{"name":"N","kind":"certificate","issuingOrganization":"Board","brand":"B\u0007","passThreshold":70}""", "brand", "a control character in the brand" },
        { """{"name":"N","kind":"certificate","issuingOrganization":"Board","passThreshold":70,"renewal":{"validity":"P100Y"}}""", "renewal.validity", "a validity beyond 50 years" },
        { """{"name":"N","kind":"certificate","issuingOrganization":"Board","passThreshold":70,"renewal":{"validity":"P1Y","gracePeriod":"P36500D"}}""", "renewal.gracePeriod", "a grace period beyond 5 years" },
        { """{"name":"N","kind":"certificate","issuingOrganization":"Board","passThreshold":70,"renewal":{"validity":"P1Y","maxGraceExtension":"P6Y"}}""", "renewal.maxGraceExtension", "a grace extension limit beyond 5 years" },
        { """{"name":"N","kind":"certificate","issuingOrganization":"Board","passThreshold":70,"renewal":{"validity":"P1Y","pathways":["retakeExam"],"pathwayLinks":[{"pathway":"retakeExam","url":"http://lms.example.org/exam"}]}}""", "renewal.pathwayLinks[0].url", "a pathway link that is not https" },
        { """{"name":"N","kind":"certificate","issuingOrganization":"Board","passThreshold":70,"renewal":{"validity":"P1Y","pathways":["retakeExam"],"pathwayLinks":[{"pathway":"retakeExam","url":"javascript:alert(1)"}]}}""", "renewal.pathwayLinks[0].url", "a script as a pathway link" },
        { """{"name":"N","kind":"certificate","issuingOrganization":"Board","passThreshold":70,"renewal":{"validity":"P1Y","pathways":["retakeExam"],"pathwayLinks":[{"pathway":"retakeExam","url":"/courses/1"}]}}""", "renewal.pathwayLinks[0].url", "a relative pathway link" },
        { """{"name":"N","kind":"certificate","issuingOrganization":"Board","passThreshold":70,"renewal":{"validity":"P1Y","pathways":["retakeExam"],"pathwayLinks":[{"pathway":"refresherModule","url":"https://lms.example.org/m"}]}}""", "renewal.pathwayLinks[0].pathway", "a link for a pathway the program does not accept" },
        { """{"name":"N","kind":"certificate","issuingOrganization":"Board","passThreshold":70,"renewal":{"validity":"P1Y","pathways":["retakeExam"],"pathwayLinks":[{"pathway":"retakeExam","url":"https://a.example.org"},{"pathway":"retakeExam","url":"https://b.example.org"}]}}""", "renewal.pathwayLinks[1].pathway", "two links for one pathway" },
        { """{"name":"N","kind":"certificate","issuingOrganization":"Board","passThreshold":70,"certificateTemplate":{"layout":"landscape","primaryColor":"#ffdd00","accentColor":"#8a6d1f"}}""", "certificateTemplate.primaryColor", "a primary colour too light for white text" },
        { """{"name":"N","kind":"certificate","issuingOrganization":"Board","passThreshold":70,"certificateTemplate":{"layout":"landscape","primaryColor":"navy","accentColor":"#8a6d1f"}}""", "certificateTemplate.primaryColor", "a colour that is not #RRGGBB" },
        { """{"name":"N","kind":"certificate","issuingOrganization":"Board","passThreshold":70,"certificateTemplate":{"layout":"landscape","primaryColor":"#1f3a5f","accentColor":"#eeeeee"}}""", "certificateTemplate.accentColor", "an accent too light to see on white" },
        { """{"name":"N","kind":"certificate","issuingOrganization":"Board","passThreshold":70,"certificateTemplate":{"layout":"landscape","primaryColor":"#1f3a5f","accentColor":"#8a6d1f","logo":"https://cdn.example.org/logo.png"}}""", "certificateTemplate.logo", "a logo to fetch from elsewhere" },
        { """{"name":"N","kind":"certificate","issuingOrganization":"Board","passThreshold":70,"certificateTemplate":{"layout":"landscape","primaryColor":"#1f3a5f","accentColor":"#8a6d1f","logo":"data:image/png;base64,PHN2Zz48L3N2Zz4="}}""", "certificateTemplate.logo", "a logo whose bytes are not the PNG it claims" },
        { """{"name":"N","kind":"certificate","issuingOrganization":"Board","passThreshold":70,"certificateTemplate":{"layout":"scroll","primaryColor":"#1f3a5f","accentColor":"#8a6d1f"}}""", "certificateTemplate.layout", "an unknown layout" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task A_bad_program_is_refused_with_the_field_named_and_nothing_written(string body, string field, string because)
    {
        var before = await _api.SnapshotCountsAsync();
        var response = await _api.SendAsync(HttpMethod.Post, "/api/programs", body, Role.Administrator);
        var problem = await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "validation");
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"{because}: expected an error for '{field}' in {problem}");
        Assert.Equal(before, await _api.SnapshotCountsAsync());
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_refused_with_415()
    {
        var request = _api.Request(HttpMethod.Post, "/api/programs", role: Role.Administrator);
        request.Content = new StringContent("name=x", System.Text.Encoding.UTF8, "application/x-www-form-urlencoded");
        await Problem.AssertAsync(await _api.Client.SendAsync(request), HttpStatusCode.UnsupportedMediaType, "unsupported-media-type");
    }

    [Fact]
    public async Task An_oversized_body_is_refused_with_413()
    {
        var huge = Bodies.Program().With("name", new string('x', 300_000));
        await Problem.AssertAsync(await _api.SendAsync(HttpMethod.Post, "/api/programs", huge, Role.Administrator), HttpStatusCode.RequestEntityTooLarge, "payload-too-large");
    }

    [Fact]
    public async Task An_unknown_program_is_404_and_a_bad_version_400()
    {
        await Problem.AssertAsync(await _api.SendAsync(HttpMethod.Get, "/api/programs/prg-nope", role: Role.Auditor), HttpStatusCode.NotFound, "not-found");
        await Problem.AssertAsync(await _api.SendAsync(HttpMethod.Get, "/api/programs/prg-nope?version=zero", role: Role.Auditor), HttpStatusCode.BadRequest, "validation");
    }

    [Fact]
    public async Task Without_a_token_it_is_401_and_with_the_wrong_role_403()
    {
        var before = await _api.SnapshotCountsAsync();
        var anonymous = await _api.SendAsync(HttpMethod.Post, "/api/programs", Bodies.Program());
        await Problem.AssertAsync(anonymous, HttpStatusCode.Unauthorized, "unauthenticated");
        Assert.Equal("Bearer", anonymous.Headers.WwwAuthenticate.Single().Scheme);
        await Problem.AssertAsync(await _api.SendAsync(HttpMethod.Post, "/api/programs", Bodies.Program(), Role.Learner), HttpStatusCode.Forbidden, "forbidden");
        await Problem.AssertAsync(await _api.SendAsync(HttpMethod.Post, "/api/programs", Bodies.Program(), Role.Auditor), HttpStatusCode.Forbidden, "forbidden");
        Assert.Equal(before, await _api.SnapshotCountsAsync());
    }

    [Theory]
    [InlineData("not-a-jwt")]
    [InlineData("eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.")]
    public async Task A_forged_or_garbage_token_is_401(string token)
    {
        var request = _api.Request(HttpMethod.Get, "/api/programs/x");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        await Problem.AssertAsync(await _api.Client.SendAsync(request), HttpStatusCode.Unauthorized, "unauthenticated");
    }

    [Fact]
    public async Task A_token_for_another_audience_or_expired_is_401()
    {
        static AccessOptions For(string audience) => new() { Audience = audience, DevelopmentSigningKey = ApiHost.SigningKey };
        var otherAudience = BearerTokenAuthenticator.MintDevelopmentToken(For("api://other"), "x", [Role.Administrator], null, TimeSpan.FromHours(1));
        var expired = BearerTokenAuthenticator.MintDevelopmentToken(For(ApiHost.Audience), "x", [Role.Administrator], null, TimeSpan.FromMinutes(1), DateTime.UtcNow.AddHours(-2));
        foreach (var (token, detail) in new[] { (otherAudience, "not issued for this API"), (expired, "expired") })
        {
            var request = _api.Request(HttpMethod.Get, "/api/programs/x");
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            var problem = await Problem.AssertAsync(await _api.Client.SendAsync(request), HttpStatusCode.Unauthorized, "unauthenticated");
            Assert.Contains(detail, problem.GetProperty("detail").GetString());
        }
    }
}
