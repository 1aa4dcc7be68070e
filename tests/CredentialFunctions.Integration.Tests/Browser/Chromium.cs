using CredentialFunctions.LocalHost;
using CredentialFunctions.Testing.Api;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;

namespace CredentialFunctions.Integration.Tests.Browser;

/// <summary>
/// A real browser: Debian's chromium and chromium-driver (scripts/test.sh installs them where
/// missing), headless, driven by Selenium against the app on Kestrel; and axe-core from
/// tools/axe (pinned by its lock file) to inject into the pages it loads.
/// </summary>
public sealed class Chromium : IAsyncLifetime
{
    public const string Binary = "/usr/bin/chromium";
    public const string Driver = "/usr/bin/chromedriver";

    public ApiHost Api { get; private set; } = null!;
    public ChromeDriver Browser { get; private set; } = null!;
    public string Axe { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (!File.Exists(Binary) || !File.Exists(Driver))
            throw new InvalidOperationException($"The browser tests need {Binary} and {Driver}: apt-get install -y chromium chromium-driver (scripts/test.sh does).");
        var axe = Path.Combine(RepositoryRoot.Find(), "tools", "axe", "node_modules", "axe-core", "axe.min.js");
        Axe = File.Exists(axe) ? await File.ReadAllTextAsync(axe) : throw new InvalidOperationException($"{axe} is missing: run npm ci in tools/axe (scripts/test.sh does).");
        Api = await ApiHost.StartAsync(kestrel: true);
        var options = new ChromeOptions { BinaryLocation = Binary };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--hide-scrollbars");
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(Driver)!, Path.GetFileName(Driver));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        Browser = new ChromeDriver(service, options, TimeSpan.FromSeconds(120));
    }

    public async Task DisposeAsync()
    {
        Browser?.Quit();
        Browser?.Dispose();
        if (Api is not null) await Api.DisposeAsync();
    }

    /// <summary>The page at a width, in CSS pixels, as a phone or a desktop shows it.</summary>
    public void Open(string path, int width)
    {
        Resize(width, 900);
        Browser.Navigate().GoToUrl(new Uri(Api.BaseAddress!, path));
    }

    public void Resize(int width, int height) => Browser.ExecuteCdpCommand("Emulation.setDeviceMetricsOverride", new Dictionary<string, object?>
    {
        ["width"] = width, ["height"] = height, ["deviceScaleFactor"] = 1, ["mobile"] = width < 600,
    });

    /// <summary>axe-core's violations of WCAG 2.0–2.2 A and AA and its best practices on the page now loaded, as "rule: target" lines.</summary>
    public IReadOnlyList<string> AxeViolations()
    {
        Browser.ExecuteScript(Axe);
        var json = (string?)Browser.ExecuteAsyncScript("""
            const done = arguments[arguments.length - 1];
            axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] } })
              .then(r => done(JSON.stringify(r.violations.flatMap(v => v.nodes.map(n => v.id + ': ' + n.target.join(' ') + ' ' + n.failureSummary)))), e => done(JSON.stringify(['axe failed: ' + e])));
            """);
        return System.Text.Json.JsonSerializer.Deserialize<List<string>>(json ?? "[\"axe returned nothing\"]")!;
    }

    /// <summary>
    /// Sent with every request from now on: a page behind a role (the compliance report) opens as a
    /// bearer of that role would see it.
    /// </summary>
    public void SendWithEveryRequest(string header, string value)
    {
        Browser.ExecuteCdpCommand("Network.enable", []);
        Browser.ExecuteCdpCommand("Network.setExtraHTTPHeaders", new Dictionary<string, object?> { ["headers"] = new Dictionary<string, object?> { [header] = value } });
    }

    /// <summary>The README's picture of the whole page: written to docs/ when UPDATE_SCREENSHOTS=1, else beside the test output, so a test run never dirties the repository.</summary>
    public void Screenshot(string name)
    {
        var height = Convert.ToInt32(Browser.ExecuteScript("return document.documentElement.scrollHeight"), System.Globalization.CultureInfo.InvariantCulture);
        Resize(1280, height);
        var directory = Environment.GetEnvironmentVariable("UPDATE_SCREENSHOTS") == "1" ? Path.Combine(RepositoryRoot.Find(), "docs") : AppContext.BaseDirectory;
        Browser.GetScreenshot().SaveAsFile(Path.Combine(directory, name));
    }
}
