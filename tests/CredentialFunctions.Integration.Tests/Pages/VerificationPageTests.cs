using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using CredentialFunctions.App.Pages;
using CredentialFunctions.Application.Access;
using CredentialFunctions.Domain.Credentials;
using CredentialFunctions.Integration.Tests.Api;
using CredentialFunctions.Testing.Api;
using static CredentialFunctions.Integration.Tests.Pages.Pages;

namespace CredentialFunctions.Integration.Tests.Pages;

[Collection(ApiCollection.Name)]
public sealed class VerificationPageTests(ApiFixture fixture)
{
    private readonly ApiHost _api = fixture.Host;

    [Fact]
    public async Task A_browser_gets_the_page_with_the_status_in_words_the_branding_the_QR_code_and_the_ways_to_share()
    {
        var programId = await _api.CreateProgramAsync(BrandedProgram());
        var id = await _api.IssueAsync(programId);

        var (response, page) = await GetPageAsync(_api, $"/api/verify/{id}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("default-src 'none'", response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.True(response.Headers.CacheControl?.NoStore);
        Assert.Equal("en", page.DocumentElement.GetAttribute("lang"));
        Assert.NotNull(page.QuerySelector("header"));
        Assert.NotNull(page.QuerySelector("main#main"));
        Assert.Equal("Certified Widgetmaker", page.QuerySelector("h1")!.TextContent);
        Assert.Equal("Active", page.QuerySelector("[role=status] strong")!.TextContent);
        Assert.Equal("Widget Board", page.QuerySelector("header .issuer")!.TextContent);
        Assert.Equal("Widget Board Academy", page.QuerySelector("header .brand")!.TextContent);
        Assert.Equal(LogoPng, page.QuerySelector("header img")!.GetAttribute("src"));
        Assert.Contains("#14532d", page.QuerySelector("style")!.TextContent);
        var facts = page.QuerySelectorAll("dt").Zip(page.QuerySelectorAll("dd")).ToDictionary(f => f.First.TextContent, f => f.Second.TextContent);
        Assert.Equal("Ada King Lovelace", facts["Holder"]);
        Assert.Equal(id, facts["Certificate id"]);
        Assert.Matches(@"^\d{1,2} \w+ \d{4}$", facts["Valid until"]);

        var qr = page.QuerySelector(".qr img")!;
        Assert.StartsWith("data:image/svg+xml;base64,", qr.GetAttribute("src"));
        Assert.Contains("<svg", Encoding.UTF8.GetString(Convert.FromBase64String(qr.GetAttribute("src")!["data:image/svg+xml;base64,".Length..])));
        Assert.False(string.IsNullOrWhiteSpace(qr.GetAttribute("alt")));

        var links = page.QuerySelectorAll("a.button").ToDictionary(a => a.TextContent, a => a.GetAttribute("href")!);
        Assert.Equal($"http://localhost:7071/api/verify/{id}/pdf", links["Download PDF"]);
        Assert.Equal($"http://localhost:7071/api/credentials/{id}/badge", links["Download badge"]);
        var linkedIn = new Uri(links["Add to LinkedIn"]);
        Assert.Equal("https://www.linkedin.com/profile/add", linkedIn.GetLeftPart(UriPartial.Path));
        var issued = DateTimeOffset.UtcNow;
        var expected = new Dictionary<string, string>
        {
            ["startTask"] = "CERTIFICATION_NAME", ["name"] = "Certified Widgetmaker", ["organizationName"] = "Widget Board",
            ["issueYear"] = issued.Year.ToString(System.Globalization.CultureInfo.InvariantCulture), ["issueMonth"] = issued.Month.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["certUrl"] = $"http://localhost:7071/api/verify/{id}", ["certId"] = id,
        };
        var query = Query(linkedIn.AbsoluteUri);
        foreach (var (name, value) in expected) Assert.Equal(value, query[name]);
        Assert.True(int.Parse(query["expirationYear"], System.Globalization.CultureInfo.InvariantCulture) >= issued.Year + 1);
        Assert.InRange(int.Parse(query["expirationMonth"], System.Globalization.CultureInfo.InvariantCulture), 1, 12);

        string? Og(string property) => page.QuerySelector($"meta[property='og:{property}']")?.GetAttribute("content");
        Assert.Equal("Certified Widgetmaker: Ada King Lovelace", Og("title"));
        Assert.Equal($"http://localhost:7071/api/verify/{id}", Og("url"));
        Assert.Contains("Active", Og("description"));
        Assert.Equal($"http://localhost:7071/api/verify/{id}/qr?format=png", Og("image"));
    }

    [Fact]
    public async Task The_page_holds_nothing_more_personal_than_the_JSON_answer()
    {
        var programId = await _api.CreateProgramAsync(BrandedProgram());
        var id = await _api.IssueAsync(programId, Bodies.Completion(programId, score: 87.5m));

        var html = (await GetOkPageAsync(_api, $"/api/verify/{id}")).DocumentElement.OuterHtml;

        Assert.DoesNotContain("ada@example.org", html);
        Assert.DoesNotContain("learner-42", html);
        Assert.DoesNotContain("lms:", html);
        Assert.DoesNotContain("87.5", html);
        Assert.DoesNotContain("Blue", html);
        Assert.DoesNotContain("Site 3", html);
    }

    [Theory]
    [InlineData("*/*")]
    [InlineData("application/json")]
    [InlineData("application/json, text/html;q=0.5")]
    public async Task A_script_still_gets_JSON(string accept)
    {
        var id = await _api.IssueAsync(await _api.CreateProgramAsync());
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/verify/{id}");
        request.Headers.TryAddWithoutValidation("Accept", accept);
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", VerificationApiTests.NewClient());

        var response = await _api.Client.SendAsync(request);

        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.True((bool)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["authentic"]!);
    }

    [Fact]
    public async Task A_revoked_credential_says_so_in_words_and_offers_nothing_to_share_as_valid()
    {
        var id = await _api.IssueAsync(await _api.CreateProgramAsync());
        Assert.Equal(HttpStatusCode.OK, (await _api.SendAsync(HttpMethod.Post, $"/api/credentials/{id}/revocation", new { reason = "Issued in error" }, Role.ProgramManager)).StatusCode);

        var page = await GetOkPageAsync(_api, $"/api/verify/{id}");

        Assert.Equal("Revoked", page.QuerySelector("[role=status] strong")!.TextContent);
        Assert.Contains("not valid", page.QuerySelector("[role=status] p")!.TextContent);
    }

    [Fact]
    public void Every_status_has_words_of_its_own_so_colour_is_never_the_only_sign()
    {
        var described = Enum.GetValues<CredentialStatus>().Select(HtmlPage.Describe).ToList();

        Assert.Equal(described.Count, described.Select(d => d.Words).Distinct().Count());
        Assert.All(described, d => Assert.False(string.IsNullOrWhiteSpace(d.Explanation)));
    }

    [Fact]
    public async Task A_record_that_fails_its_tamper_check_cannot_be_verified_and_shows_none_of_its_facts()
    {
        var id = await _api.IssueAsync(await _api.CreateProgramAsync(BrandedProgram()));
        await _api.EditBehindTheAppsBackAsync(id, document => document["holder"]!["legalName"] = "Mallory Forger");

        var page = await GetOkPageAsync(_api, $"/api/verify/{id}");
        var pdf = await _api.Client.GetAsync($"/api/verify/{id}/pdf");

        Assert.Equal("This credential cannot be verified", page.QuerySelector("h1")!.TextContent);
        Assert.Equal("Cannot be verified", page.QuerySelector("[role=status] strong")!.TextContent);
        Assert.DoesNotContain("Mallory", page.DocumentElement.OuterHtml);
        Assert.DoesNotContain("Valid", page.DocumentElement.TextContent);
        Assert.Empty(page.QuerySelectorAll("a.button"));
        await Problem.AssertAsync(pdf, HttpStatusCode.Conflict, "invalid-transition");
    }

    [Fact]
    public async Task A_wrong_id_is_a_not_found_page_and_a_mistyped_one_says_so_both_telling_nothing_else()
    {
        var neverIssued = CertificateId.FromRandomBytes(Enumerable.Repeat((byte)9, 15).ToArray()).Value;
        var typo = neverIssued[..3] + (neverIssued[3] == 'Z' ? 'Y' : 'Z') + neverIssued[4..];

        var (missing, missingPage) = await GetPageAsync(_api, $"/api/verify/{neverIssued}");
        var (mistyped, mistypedPage) = await GetPageAsync(_api, $"/api/verify/{typo}");

        Assert.Equal((HttpStatusCode.NotFound, "text/html"), (missing.StatusCode, missing.Content.Headers.ContentType?.MediaType));
        Assert.Equal("Credential not found", missingPage.QuerySelector("h1")!.TextContent);
        Assert.Empty(missingPage.QuerySelectorAll("a.button, dl, [role=status]"));
        Assert.Equal((HttpStatusCode.BadRequest, "text/html"), (mistyped.StatusCode, mistyped.Content.Headers.ContentType?.MediaType));
        Assert.Contains("mistyped", mistypedPage.QuerySelector("main p")!.TextContent);
    }
}
