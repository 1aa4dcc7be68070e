using System.Xml.Linq;
using CredentialFunctions.Infra.Tests.Support;

namespace CredentialFunctions.Infra.Tests;

/// <summary>The function app azd deploys to runs the .NET the code targets, on Flex Consumption, as the identity.</summary>
[Collection(CompiledInfrastructureCollection.Name)]
public sealed class FunctionAppTests(CompiledInfrastructure infra)
{
    [Fact]
    public void Runs_the_isolated_worker_on_the_NET_version_the_code_targets()
    {
        var targetFramework = XDocument.Load(Path.Combine(Repository.Root, "Directory.Build.props"))
            .Descendants("TargetFramework").Single().Value; // e.g. net10.0
        var (app, site) = infra.Single("Microsoft.Web/sites");
        var runtime = site.GetProperty("properties").GetProperty("functionAppConfig").GetProperty("runtime");

        Assert.Equal("dotnet-isolated", app.Evaluate(runtime.GetProperty("name")).Text);
        Assert.Equal(targetFramework["net".Length..], app.Evaluate(runtime.GetProperty("version")).Text);
    }

    [Fact]
    public void Runs_on_the_Flex_Consumption_plan()
    {
        var (_, plan) = infra.Single("Microsoft.Web/serverfarms");

        Assert.Equal("FlexConsumption", plan.GetProperty("sku").GetProperty("tier").GetString());
        Assert.Equal("FC1", plan.GetProperty("sku").GetProperty("name").GetString());
    }

    [Fact]
    public void Is_tagged_as_the_service_azure_yaml_deploys()
    {
        var (app, site) = infra.Single("Microsoft.Web/sites");
        var service = AzureYamlService();

        var tags = app.Evaluate(site.GetProperty("tags"));

        Assert.Contains($"createObject('azd-service-name', '{service.Name}')", tags.Sources[1], StringComparison.Ordinal);
        Assert.True(Directory.Exists(Path.Combine(Repository.Root, service.Project)), $"azure.yaml deploys {service.Project}, which does not exist.");
    }

    [Fact]
    public void Serves_HTTPS_only_with_TLS_1_2_and_no_basic_publishing_credentials()
    {
        var (app, site) = infra.Single("Microsoft.Web/sites");
        var properties = site.GetProperty("properties");

        Assert.True(properties.GetProperty("httpsOnly").GetBoolean());
        Assert.Equal("1.2", properties.GetProperty("siteConfig").GetProperty("minTlsVersion").GetString());
        Assert.Equal("UserAssigned", site.GetProperty("identity").GetProperty("type").GetString());
        var policies = app.ResourcesOfType("Microsoft.Web/sites/basicPublishingCredentialsPolicies").ToArray();
        Assert.Equal(2, policies.Length);
        Assert.All(policies, p => Assert.False(p.GetProperty("properties").GetProperty("allow").GetBoolean()));
    }

    [Fact]
    public void Deployment_package_container_is_reached_with_the_identity_not_a_key()
    {
        var (_, site) = infra.Single("Microsoft.Web/sites");
        var storage = site.GetProperty("properties").GetProperty("functionAppConfig").GetProperty("deployment").GetProperty("storage");

        Assert.Equal("UserAssignedIdentity", storage.GetProperty("authentication").GetProperty("type").GetString());
    }

    private static (string Name, string Project) AzureYamlService()
    {
        // azure.yaml is small and flat: one service two spaces under "services:", its project below it.
        var lines = File.ReadAllLines(Path.Combine(Repository.Root, "azure.yaml"));
        var services = Array.FindIndex(lines, l => l.TrimEnd() == "services:");
        var name = lines[services + 1].Trim().TrimEnd(':');
        var project = lines.Skip(services + 2).First(l => l.TrimStart().StartsWith("project:", StringComparison.Ordinal));
        return (name, project.Split(':', 2)[1].Trim());
    }
}
