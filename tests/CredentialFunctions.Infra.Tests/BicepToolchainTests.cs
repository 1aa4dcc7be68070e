using CredentialFunctions.Infra.Tests.Support;

namespace CredentialFunctions.Infra.Tests;

/// <summary>The templates compile and lint clean with the compiler restored from NuGet, as CI runs them.</summary>
[Collection(CompiledInfrastructureCollection.Name)]
public sealed class BicepToolchainTests(CompiledInfrastructure infra)
{
    public static TheoryData<string> BicepFiles => new(Repository.BicepFiles.Select(Repository.RelativeToInfra));

    [Fact]
    public void Main_template_builds_to_ARM_JSON_without_diagnostics()
    {
        Assert.True(infra.BuildResult.ExitCode == 0, infra.BuildResult.ToString());
        Assert.True(infra.BuildResult.Output.Length == 0, infra.BuildResult.ToString());
        Assert.NotEmpty(infra.Main.Children);
    }

    [Fact]
    public void Parameters_file_builds_against_main_with_azd_variables_absent()
    {
        var output = Path.Combine(Path.GetTempPath(), $"credential-infra-{Guid.NewGuid():N}.parameters.json");
        try
        {
            var run = BicepCli.Run("build-params", Path.Combine(Repository.InfraDirectory, "main.bicepparam"), "--outfile", output);

            Assert.True(run.ExitCode == 0 && run.Output.Length == 0, run.ToString());
        }
        finally
        {
            File.Delete(output);
        }
    }

    [Theory]
    [MemberData(nameof(BicepFiles))]
    public void Bicep_file_lints_without_a_single_diagnostic(string file)
    {
        var run = BicepCli.Run("lint", Path.Combine(Repository.InfraDirectory, file));

        Assert.True(run.ExitCode == 0 && run.Output.Length == 0, run.ToString());
    }

    [Fact]
    public void Linter_configuration_turns_warnings_into_errors()
    {
        // A template whose only fault is an unused parameter, a warning under Bicep's defaults,
        // linted with our bicepconfig.json: it must fail, or the lint test above proves nothing.
        var directory = Directory.CreateTempSubdirectory("credential-lint-").FullName;
        try
        {
            File.Copy(Path.Combine(Repository.InfraDirectory, "bicepconfig.json"), Path.Combine(directory, "bicepconfig.json"));
            var template = Path.Combine(directory, "unused.bicep");
            File.WriteAllText(template, "@description('Never used.')\nparam unused string\n");

            var run = BicepCli.Run("lint", template);

            Assert.NotEqual(0, run.ExitCode);
            Assert.Contains("Error no-unused-params", run.Output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
