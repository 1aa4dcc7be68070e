using CredentialFunctions.Application.Access;
using OpenQA.Selenium;
using static CredentialFunctions.Integration.Tests.Pages.Pages;

namespace CredentialFunctions.Integration.Tests.Browser;

/// <summary>The verification and renewal pages in headless Chromium at a phone's and a desktop's width: laid out without sideways scrolling, their key parts on screen, and no axe-core violation.</summary>
public sealed class PagesInBrowserTests(Chromium chromium) : IClassFixture<Chromium>
{
    public static TheoryData<string, int> PagesAndWidths() => new()
    {
        { "verify", 375 }, { "verify", 1280 }, { "renew", 375 }, { "renew", 1280 },
    };

    [Theory]
    [MemberData(nameof(PagesAndWidths))]
    public async Task The_page_fits_the_width_shows_its_key_parts_and_axe_finds_nothing(string page, int width)
    {
        var programId = await chromium.Api.CreateProgramAsync(BrandedProgram());
        var id = await chromium.Api.IssueAsync(programId);

        chromium.Open($"/api/{page}/{id}", width);

        var browser = chromium.Browser;
        Assert.Equal(width, Convert.ToInt32(browser.ExecuteScript("return window.innerWidth"), System.Globalization.CultureInfo.InvariantCulture));
        var scrollWidth = Convert.ToInt32(browser.ExecuteScript("return document.documentElement.scrollWidth"), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(scrollWidth <= width, $"The page is {scrollWidth} px wide in a {width} px window: it scrolls sideways.");
        var keyParts = page == "verify"
            ? new[] { "h1", "[role=status]", "dl", ".qr img", "a.button[href$='/pdf']", "a.button[href*='/badge']", "a.button[href*='linkedin.com']" }
            : ["h1", "[role=status]", "dl", ".pathways li a"];
        foreach (var selector in keyParts)
        {
            var element = browser.FindElement(By.CssSelector(selector));
            Assert.True(element.Displayed, $"{selector} is not visible at {width} px.");
            Assert.True(element.Location.X >= 0 && element.Location.X + element.Size.Width <= width, $"{selector} sticks out of a {width} px window.");
        }
        Assert.Empty(chromium.AxeViolations());

        if (page == "verify" && width == 1280) chromium.Screenshot("verification-page.png");
    }

    [Fact]
    public async Task A_revoked_credential_and_an_unknown_id_pass_axe_too()
    {
        var id = await chromium.Api.IssueAsync(await chromium.Api.CreateProgramAsync(BrandedProgram()));
        Assert.True((await chromium.Api.SendAsync(HttpMethod.Post, $"/api/credentials/{id}/revocation", new { reason = "Issued in error" }, Role.ProgramManager)).IsSuccessStatusCode);

        foreach (var path in new[] { $"/api/verify/{id}", $"/api/renew/{id}", "/api/verify/7QXM-2K9D-RH4T-WZ5C", "/api/verify/not-an-id" })
        {
            chromium.Open(path, 375);
            Assert.Empty(chromium.AxeViolations());
        }
    }
}
