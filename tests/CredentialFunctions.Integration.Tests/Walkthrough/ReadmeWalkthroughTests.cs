using System.Diagnostics;
using System.Text.RegularExpressions;
using CredentialFunctions.LocalHost;
using CredentialFunctions.Testing.Api;

namespace CredentialFunctions.Integration.Tests.Walkthrough;

/// <summary>
/// The README's "Try it" is scripts/try.sh, shown as it is; run here against a local host signed
/// with the same local settings as the token command, so the walkthrough cannot break unseen.
/// </summary>
public sealed partial class ReadmeWalkthroughTests
{
    // The scripts build the local host in the configuration these tests were built in, so they find it built.
#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    private static readonly string Root = RepositoryRoot.Find();

    [Fact]
    public void The_readme_shows_the_walkthrough_script_as_it_is()
    {
        var script = File.ReadAllText(Path.Combine(Root, "scripts", "try.sh"));
        var readme = File.ReadAllText(Path.Combine(Root, "README.md"));

        Assert.Contains("```bash\n" + script + "```", readme, StringComparison.Ordinal);
        Assert.Contains("bash scripts/try.sh", readme, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_token_script_prints_the_token_and_nothing_else()
    {
        var (exitCode, output, errors) = await RunAsync("scripts/token.sh", ["--role", "ProgramManager"]);

        Assert.True(exitCode == 0, errors);
        Assert.Matches(Jwt(), output);
    }

    [Fact]
    public async Task The_walkthrough_runs_as_printed_against_the_local_host()
    {
        var local = LocalHostBuilder.FunctionsLocalSettings();
        await using var api = await ApiHost.StartAsync(kestrel: true, settings: new Dictionary<string, string?>
        {
            ["Access:Audience"] = local["Access:Audience"],
            ["Access:DevelopmentSigningKey"] = local["Access:DevelopmentSigningKey"],
            ["Webhooks:Lms:SigningSecret"] = local["Webhooks:Lms:SigningSecret"],
        });

        var (exitCode, output, errors) = await RunAsync("scripts/try.sh", [], ("API", api.BaseAddress!.ToString().TrimEnd('/')));

        Assert.True(exitCode == 0, $"{output}\n{errors}");
        Assert.Matches(@"program: prg-\S+", output);
        var certificateId = Regex.Match(output, @"credential: (\S+)").Groups[1].Value;
        Assert.Matches(@"^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$", certificateId);
        Assert.Contains("\"authentic\":true", output);
        Assert.Contains("\"auditTrail\":", output);
    }

    private static async Task<(int ExitCode, string Output, string Errors)> RunAsync(string script, string[] arguments, params (string Name, string Value)[] environment)
    {
        var start = new ProcessStartInfo("bash", [script, .. arguments])
        {
            WorkingDirectory = Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["CONFIGURATION"] = Configuration },
        };
        foreach (var (name, value) in environment) start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        // Generous: the script may build the local host first on a loaded two-core machine.
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(8));
        return (process.ExitCode, await output, await errors);
    }

    [GeneratedRegex(@"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\n$")]
    private static partial Regex Jwt();
}
