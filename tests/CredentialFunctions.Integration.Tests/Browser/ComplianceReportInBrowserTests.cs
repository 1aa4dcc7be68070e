using CredentialFunctions.Application.Access;
using CredentialFunctions.Application.Ports;
using CredentialFunctions.Domain.Credentials;
using CredentialFunctions.Testing.Api;
using Microsoft.Extensions.DependencyInjection;
using OpenQA.Selenium;

namespace CredentialFunctions.Integration.Tests.Browser;

/// <summary>The printable compliance report in headless Chromium, opened as an auditor: it fits a phone and a desktop, its chart and table show, and axe-core finds nothing.</summary>
public sealed class ComplianceReportInBrowserTests(Chromium chromium) : IClassFixture<Chromium>, IAsyncLifetime
{
    private static readonly string[] Teams = ["Line maintenance", "Hangar 2", "Avionics", "=SUM(A1:A9)"];

    public async Task InitializeAsync()
    {
        chromium.SendWithEveryRequest("Authorization", $"Bearer {ApiHost.TokenFor(Role.Auditor)}");
        var store = chromium.Api.Services.GetRequiredService<ICredentialStore>();
        if ((await store.GetAsync(A.Id(9000).ToString(), CancellationToken.None)) is not null) return;
        var now = DateTimeOffset.UtcNow;
        var program = A.Program(at: now.AddYears(-3));
        for (var i = 0; i < 40; i++)
        {
            var completedAt = now.AddDays(-i * 11.3);
            var credential = A.Credential(program, completedAt, seed: 9000 + i, placement: new Placement(Teams[i % Teams.Length], "2026-A", "Site 1"));
            Assert.True(await store.TryCreateAsync(credential, CancellationToken.None));
            if (i % 7 == 3)
                await store.ReplaceAsync(credential.Revoke(completedAt.AddDays(1), "user:pm", "Issued in error").Credential,
                    (await store.GetAsync(credential.CertificateId, CancellationToken.None))!.ETag, CancellationToken.None);
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [InlineData(375)]
    [InlineData(1280)]
    public void The_report_fits_the_width_shows_its_chart_and_counts_and_axe_finds_nothing(int width)
    {
        chromium.Open("/api/reports/compliance?groupBy=team&format=html", width);

        var browser = chromium.Browser;
        Assert.Equal("Compliance report by team", browser.FindElement(By.TagName("h1")).Text);
        var scrollWidth = Convert.ToInt32(browser.ExecuteScript("return document.documentElement.scrollWidth"), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(scrollWidth <= width, $"The report is {scrollWidth} px wide in a {width} px window: it scrolls sideways.");
        foreach (var selector in new[] { "svg#chart", ".counts", "#digest", "#issued-at" })
        {
            var element = browser.FindElement(By.CssSelector(selector));
            Assert.True(element.Displayed, $"{selector} is not visible at {width} px.");
            Assert.True(element.Location.X >= 0 && element.Location.X + element.Size.Width <= width, $"{selector} sticks out of a {width} px window.");
        }
        Assert.Equal(Teams.Length, browser.FindElements(By.CssSelector("#counts tbody tr")).Count);
        Assert.Empty(chromium.AxeViolations());

        if (width == 1280) chromium.Screenshot("compliance-report.png");
    }
}
