using System.Reflection;

namespace CredentialFunctions.Infra.Tests.Support;

/// <summary>Where the templates and the Bicep compiler are, as the test project's build recorded them.</summary>
internal static class Repository
{
    public static string InfraDirectory { get; } = Metadata("InfraDirectory");

    public static string Root { get; } = Path.GetFullPath(Path.Combine(InfraDirectory, ".."));

    /// <summary>$(BicepPath) from the Azure.Bicep.CommandLine package's props file.</summary>
    public static string BicepPath { get; } = Path.GetFullPath(Metadata("BicepPath").Replace('\\', '/'));

    public static IReadOnlyList<string> BicepFiles { get; } =
        Directory.GetFiles(InfraDirectory, "*.bicep", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();

    public static string RelativeToInfra(string path) => Path.GetRelativePath(InfraDirectory, path);

    private static string Metadata(string key) =>
        typeof(Repository).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value
        ?? throw new InvalidOperationException($"The test project's build did not record {key}.");
}
