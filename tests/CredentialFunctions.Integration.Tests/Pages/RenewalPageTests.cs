using System.Net;
using AngleSharp.Html.Parser;
using CredentialFunctions.Application.Access;
using CredentialFunctions.Application.Notifications;
using CredentialFunctions.Application.Ports;
using CredentialFunctions.Integration.Tests.Api;
using CredentialFunctions.Testing.Api;
using Microsoft.Extensions.DependencyInjection;
using static CredentialFunctions.Integration.Tests.Pages.Pages;

namespace CredentialFunctions.Integration.Tests.Pages;

[Collection(ApiCollection.Name)]
public sealed class RenewalPageTests(ApiFixture fixture)
{
    private readonly ApiHost _api = fixture.Host;

    [Fact]
    public async Task The_renewal_page_shows_the_deadlines_each_pathway_with_its_link_and_the_credits_counted_so_far()
    {
        var id = await _api.IssueAsync(await _api.CreateProgramAsync(BrandedProgram()));
        var logged = await _api.SendAsync(HttpMethod.Post, $"/api/credentials/{id}/credits",
            new { earnedAt = DateTimeOffset.UtcNow.AddMinutes(-1), amount = 3.5m, category = "CPD", activity = "Widget safety seminar", reference = "SEM-1" }, Role.ProgramManager);
        Assert.Equal(HttpStatusCode.OK, logged.StatusCode);

        var page = await GetOkPageAsync(_api, $"/api/renew/{id}");

        Assert.Equal("en", page.DocumentElement.GetAttribute("lang"));
        Assert.Equal("Renew your Certified Widgetmaker credential", page.QuerySelector("h1")!.TextContent);
        Assert.Equal("Active", page.QuerySelector("[role=status] strong")!.TextContent);
        Assert.Contains("Renewal opens on", page.QuerySelector("[role=status] p")!.TextContent);
        var deadlines = page.QuerySelectorAll("dt").Select(t => t.TextContent).ToList();
        Assert.Equal(["Holder", "Certificate id", "Renewal opens", "Expires on", "Grace period ends"], deadlines);
        var pathways = page.QuerySelectorAll(".pathways li").ToList();
        Assert.Equal(3, pathways.Count);
        Assert.Equal(ExamUrl, pathways[0].QuerySelector("a")!.GetAttribute("href"));
        Assert.Equal("Book the exam", pathways[0].QuerySelector("a")!.TextContent);
        Assert.Equal(CreditsUrl, pathways[1].QuerySelector("a")!.GetAttribute("href"));
        Assert.Contains("3.5 of 10 credits counted this cycle", pathways[1].TextContent);
        Assert.Null(pathways[2].QuerySelector("a"));
        Assert.Contains("Contact Widget Board", pathways[2].TextContent);
        var html = page.DocumentElement.OuterHtml;
        Assert.DoesNotContain("ada@example.org", html);
        Assert.DoesNotContain("learner-42", html);
        Assert.DoesNotContain("Widget safety seminar", html);
        Assert.DoesNotContain("SEM-1", html);
    }

    [Fact]
    public async Task A_revoked_credential_offers_no_way_to_renew()
    {
        var id = await _api.IssueAsync(await _api.CreateProgramAsync(BrandedProgram()));
        Assert.Equal(HttpStatusCode.OK, (await _api.SendAsync(HttpMethod.Post, $"/api/credentials/{id}/revocation", new { reason = "Issued in error" }, Role.ProgramManager)).StatusCode);

        var page = await GetOkPageAsync(_api, $"/api/renew/{id}");

        Assert.Equal("Revoked", page.QuerySelector("[role=status] strong")!.TextContent);
        Assert.Contains("can no longer be renewed", page.QuerySelector("[role=status] p")!.TextContent);
        Assert.Empty(page.QuerySelectorAll(".pathways"));
    }

    [Fact]
    public async Task An_unknown_or_mistyped_id_is_a_page_saying_so()
    {
        var (missing, _) = await GetPageAsync(_api, $"/api/renew/{Domain.Credentials.CertificateId.FromRandomBytes(Enumerable.Repeat((byte)5, 15).ToArray()).Value}");
        var (malformed, page) = await GetPageAsync(_api, "/api/renew/not-an-id");

        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal("That is not a certificate id", page.QuerySelector("h1")!.TextContent);
    }

    [Theory]
    [MemberData(nameof(EveryKind))]
    public async Task Every_link_in_every_email_resolves_to_a_route_that_answers(NotificationKind kind)
    {
        var id = await _api.IssueAsync(await _api.CreateProgramAsync(BrandedProgram()));
        var credential = (await _api.Services.GetRequiredService<ICredentialStore>().GetAsync(id, CancellationToken.None))!.Value;
        var email = _api.Services.GetRequiredService<NotificationTemplates>().Render(
            new Notification(kind, "test", credential.CertificateId, credential.Holder.LegalName, credential.Holder.Email, credential.Program.Name,
                credential.Program.IssuingOrganization, credential.ExpiresAt, credential.Schedule!.GraceEndsAt, 30, credential.Terms.Pathways)
            { PathwayLinks = credential.Terms.PathwayLinks });

        var links = (await new HtmlParser().ParseDocumentAsync(email.HtmlBody)).QuerySelectorAll("a[href]").Select(a => a.GetAttribute("href")!).ToList();

        Assert.NotEmpty(links);
        foreach (var link in links)
        {
            Assert.Contains(link, email.TextBody);
            if (link is ExamUrl or CreditsUrl) continue;
            Assert.StartsWith("http://localhost:7071/api/", link);
            await GetOkPageAsync(_api, new Uri(link).PathAndQuery);
        }
        if (kind is NotificationKind.RenewalReminder or NotificationKind.GraceStarted or NotificationKind.Lapsed or NotificationKind.LapseFollowUp)
            Assert.Equal([ExamUrl, CreditsUrl, $"http://localhost:7071/api/renew/{id}"], links);
    }

    public static TheoryData<NotificationKind> EveryKind() => [.. Enum.GetValues<NotificationKind>()];
}
