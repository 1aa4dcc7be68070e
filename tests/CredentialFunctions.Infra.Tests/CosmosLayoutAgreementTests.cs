using System.Text.Json;
using CredentialFunctions.Adapters.Cosmos;
using CredentialFunctions.Infra.Tests.Support;

namespace CredentialFunctions.Infra.Tests;

/// <summary>
/// The containers the code creates locally (CosmosLayout) and the ones Bicep provisions in Azure are
/// the same containers, keyed and indexed the same way.
/// </summary>
[Collection(CompiledInfrastructureCollection.Name)]
public sealed class CosmosLayoutAgreementTests(CompiledInfrastructure infra)
{
    private const string ContainerType = "Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers";

    public static TheoryData<string> LayoutContainers => new(CosmosLayout.All.Select(c => c.Name));

    [Theory]
    [MemberData(nameof(LayoutContainers))]
    public void Container_is_provisioned_with_the_partition_key_the_code_uses(string name)
    {
        var (layout, resource) = Pair(name);

        var partitionKey = resource.GetProperty("partitionKey");
        Assert.Equal([layout.PartitionKeyPath], partitionKey.GetProperty("paths").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal("Hash", partitionKey.GetProperty("kind").GetString());
    }

    [Theory]
    [MemberData(nameof(LayoutContainers))]
    public void Container_includes_and_excludes_exactly_the_paths_the_code_does(string name)
    {
        var (layout, resource) = Pair(name);
        var policy = resource.GetProperty("indexingPolicy");

        var excluded = policy.GetProperty("excludedPaths").EnumerateArray().Select(p => p.GetProperty("path").GetString()!);
        Assert.Equal(layout.ExcludedPaths.Order(StringComparer.Ordinal), excluded.Order(StringComparer.Ordinal));

        // Excluding the root means "index nothing but the included paths"; Cosmos rejects "/*" on both lists.
        var included = policy.GetProperty("includedPaths").EnumerateArray().Select(p => p.GetProperty("path").GetString()!);
        Assert.Equal(layout.IncludedPaths.Order(StringComparer.Ordinal), included.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(LayoutContainers))]
    public void Container_has_exactly_the_composite_indexes_the_code_queries_with(string name)
    {
        var (layout, resource) = Pair(name);

        var provisioned = resource.GetProperty("indexingPolicy").GetProperty("compositeIndexes").EnumerateArray()
            .Select(index => string.Join(", ", index.EnumerateArray().Select(p =>
                $"{p.GetProperty("path").GetString()} {p.GetProperty("order").GetString()}")));
        var expected = layout.CompositeIndexes
            .Select(index => string.Join(", ", index.Paths.Select(p => $"{p.Path} {(p.Descending ? "descending" : "ascending")}")));

        Assert.Equal(expected.Order(StringComparer.Ordinal), provisioned.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void No_container_is_provisioned_that_the_code_does_not_know()
    {
        var provisioned = Containers().Select(c => c.Name).Order(StringComparer.Ordinal);

        Assert.Equal(CosmosLayout.All.Select(c => c.Name).Order(StringComparer.Ordinal), provisioned);
    }

    [Fact]
    public void Database_is_the_one_CosmosOptions_names_by_default()
    {
        var (deployment, database) = infra.Single("Microsoft.DocumentDB/databaseAccounts/sqlDatabases");

        var name = deployment.Evaluate(database.GetProperty("properties").GetProperty("resource").GetProperty("id"));

        Assert.Equal(new CosmosOptions().DatabaseName, name.Text);
    }

    [Fact]
    public void App_identity_gets_the_built_in_Data_Contributor_role_on_each_container_but_the_purge_log()
    {
        var (deployment, assignment) = infra.Single("Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments", r => !IsPurgeLogAssignment(r));
        var properties = assignment.GetProperty("properties");

        var role = deployment.Evaluate(properties.GetProperty("roleDefinitionId")).Sources.Single();
        Assert.EndsWith("'00000000-0000-0000-0000-000000000002')]", role, StringComparison.Ordinal);
        var scope = properties.GetProperty("scope").GetString()!;
        Assert.Contains($"/dbs/{{1}}/colls/{{2}}', resourceId('Microsoft.DocumentDB/databaseAccounts', parameters('name')), parameters('databaseName'), variables('readWriteContainers')[copyIndex()])", scope, StringComparison.Ordinal);
        Assert.Equal("[length(variables('readWriteContainers'))]", assignment.GetProperty("copy").GetProperty("count").GetString());
        var containers = deployment.Variable("readWriteContainers").Items().Select(c => c.Text).Order(StringComparer.Ordinal);
        Assert.Equal(CosmosLayout.All.Where(c => c != CosmosLayout.PurgeLog).Select(c => c.Name).Order(StringComparer.Ordinal), containers);
        Assert.Equal("[reference('identity').outputs.principalId.value]", deployment.Parameter("appPrincipalId").Sources[0]);
    }

    [Fact]
    public void On_the_purge_log_the_app_identity_may_create_and_read_and_nothing_else()
    {
        var (deployment, assignment) = infra.Single("Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments", IsPurgeLogAssignment);
        var (_, definition) = infra.Single("Microsoft.DocumentDB/databaseAccounts/sqlRoleDefinitions");

        Assert.Contains("'append-only-data-writer'", definition.GetProperty("name").GetString(), StringComparison.Ordinal);
        Assert.Contains("'append-only-data-writer'", assignment.GetProperty("properties").GetProperty("roleDefinitionId").GetString(), StringComparison.Ordinal);
        var actions = definition.GetProperty("properties").GetProperty("permissions").EnumerateArray()
            .SelectMany(p => p.GetProperty("dataActions").EnumerateArray()).Select(a => a.GetString()!).ToList();
        const string items = "Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers/items/";
        Assert.Equal([items + "create", items + "read"], actions.Where(a => a.StartsWith(items, StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(actions, a => a.EndsWith('*') || a.EndsWith("/delete", StringComparison.Ordinal) || a.EndsWith("/replace", StringComparison.Ordinal)
            || a.EndsWith("/upsert", StringComparison.Ordinal) || a.Contains("executeStoredProcedure", StringComparison.Ordinal));
        Assert.Equal("[parameters('appPrincipalId')]", assignment.GetProperty("properties").GetProperty("principalId").GetString());
    }

    private static bool IsPurgeLogAssignment(JsonElement assignment)
        => assignment.GetProperty("properties").GetProperty("scope").GetString()!.Contains($"'{CosmosLayout.PurgeLog.Name}')", StringComparison.Ordinal);

    private (ContainerLayout Layout, JsonElement Resource) Pair(string name)
    {
        var layout = CosmosLayout.All.Single(c => c.Name == name);
        var provisioned = Containers().Where(c => c.Name == name).ToArray();
        Assert.True(provisioned.Length == 1, $"infra/ provisions {provisioned.Length} containers named '{name}'.");
        return (layout, provisioned[0].Resource);
    }

    private IEnumerable<(string Name, JsonElement Resource)> Containers() =>
        infra.Main.FindAll(ContainerType).Select(found =>
        {
            var resource = found.Resource.GetProperty("properties").GetProperty("resource");
            return (found.Deployment.Evaluate(resource.GetProperty("id")).Text!, resource);
        });
}
