using System.Text.Json;

namespace CredentialFunctions.Infra.Tests.Support;

/// <summary>infra/main.bicep compiled once for all the agreement tests.</summary>
public sealed class CompiledInfrastructure : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("credential-infra-").FullName;
    private readonly JsonDocument _document;

    public CompiledInfrastructure()
    {
        var armJson = Path.Combine(_directory, "main.json");
        BuildResult = BicepCli.Run("build", Path.Combine(Repository.InfraDirectory, "main.bicep"), "--outfile", armJson);
        _document = File.Exists(armJson)
            ? JsonDocument.Parse(File.ReadAllText(armJson))
            : JsonDocument.Parse("{}");
        Main = ArmDeployment.Root(_document.RootElement);
    }

    internal BicepRun BuildResult { get; }

    internal ArmDeployment Main { get; }

    /// <summary>The single resource of a type anywhere in the deployment.</summary>
    internal (ArmDeployment Deployment, JsonElement Resource) Single(string type) =>
        Assert.Single(Main.FindAll(type));

    internal (ArmDeployment Deployment, JsonElement Resource) Single(string type, Func<JsonElement, bool> where) =>
        Assert.Single(Main.FindAll(type), found => where(found.Resource));

    public void Dispose()
    {
        _document.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}

[CollectionDefinition(Name)]
public sealed class CompiledInfrastructureCollection : ICollectionFixture<CompiledInfrastructure>
{
    public const string Name = "compiled infra/main.bicep";
}
