using System.Text.Json;
using CredentialFunctions.Infra.Tests.Support;

namespace CredentialFunctions.Infra.Tests;

/// <summary>No keys anywhere: every service that could accept one has key authentication off, and access is RBAC on single resources.</summary>
[Collection(CompiledInfrastructureCollection.Name)]
public sealed class SecureDefaultsTests(CompiledInfrastructure infra)
{
    [Theory]
    [InlineData("Microsoft.DocumentDB/databaseAccounts", "disableLocalAuth", true)]
    [InlineData("Microsoft.DocumentDB/databaseAccounts", "disableKeyBasedMetadataWriteAccess", true)]
    [InlineData("Microsoft.ServiceBus/namespaces", "disableLocalAuth", true)]
    [InlineData("Microsoft.Storage/storageAccounts", "allowSharedKeyAccess", false)]
    [InlineData("Microsoft.Storage/storageAccounts", "allowBlobPublicAccess", false)]
    [InlineData("Microsoft.Communication/communicationServices", "disableLocalAuth", true)]
    [InlineData("Microsoft.Insights/components", "DisableLocalAuth", true)]
    [InlineData("Microsoft.KeyVault/vaults", "enableRbacAuthorization", true)]
    [InlineData("Microsoft.KeyVault/vaults", "enablePurgeProtection", true)]
    [InlineData("Microsoft.KeyVault/vaults", "enableSoftDelete", true)]
    public void Resource_is_provisioned_with_the_secure_setting(string type, string property, bool expected)
    {
        var (_, resource) = infra.Single(type);

        Assert.Equal(expected, resource.GetProperty("properties").GetProperty(property).GetBoolean());
    }

    [Theory]
    [InlineData("Microsoft.Storage/storageAccounts", "minimumTlsVersion", "TLS1_2")]
    [InlineData("Microsoft.ServiceBus/namespaces", "minimumTlsVersion", "1.2")]
    [InlineData("Microsoft.DocumentDB/databaseAccounts", "minimalTlsVersion", "Tls12")]
    public void Resource_refuses_TLS_older_than_1_2(string type, string property, string expected)
    {
        var (_, resource) = infra.Single(type);

        Assert.Equal(expected, resource.GetProperty("properties").GetProperty(property).GetString());
    }

    [Fact]
    public void Signing_key_cannot_leave_the_vault()
    {
        var (_, key) = infra.Single("Microsoft.KeyVault/vaults/keys");
        var properties = key.GetProperty("properties");

        Assert.False(properties.GetProperty("attributes").GetProperty("exportable").GetBoolean());
        Assert.Equal(["sign", "verify"], properties.GetProperty("keyOps").EnumerateArray().Select(o => o.GetString()));
    }

    [Fact]
    public void Signing_key_is_RSA_for_the_RS256_every_Open_Badges_verifier_accepts()
    {
        var (_, key) = infra.Single("Microsoft.KeyVault/vaults/keys");
        var properties = key.GetProperty("properties");

        Assert.Equal("RSA", properties.GetProperty("kty").GetString());
        Assert.True(properties.GetProperty("keySize").GetInt32() >= 2048);
    }

    [Fact]
    public void Every_role_assignment_grants_a_built_in_role_on_one_resource()
    {
        var assignments = infra.Main.FindAll("Microsoft.Authorization/roleAssignments").ToArray();

        Assert.NotEmpty(assignments);
        Assert.All(assignments, found =>
        {
            // Extension resources with a scope sit on one resource; without it they would cover the group.
            Assert.StartsWith("[resourceId(", found.Resource.GetProperty("scope").GetString(), StringComparison.Ordinal);
            Assert.StartsWith("[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', ",
                found.Resource.GetProperty("properties").GetProperty("roleDefinitionId").GetString(), StringComparison.Ordinal);
        });
        Assert.Empty(infra.Main.FindAll("Microsoft.Authorization/roleDefinitions")); // no custom roles
    }

    [Fact]
    public void Role_table_holds_only_role_definition_ids()
    {
        var roles = infra.Main.Variable("roles");

        Assert.NotEmpty(roles.PropertyNames());
        Assert.All(roles.PropertyNames(), name => Assert.True(Guid.TryParse(roles.Property(name).Text, out _), name));
    }

    [Fact]
    public void App_identity_holds_each_data_role_it_needs()
    {
        var granted = infra.Main.Children
            .SelectMany(module => module.Template.GetProperty("parameters").EnumerateObject()
                .Where(p => p.Name.EndsWith("oleAssignments", StringComparison.Ordinal))
                .Select(p => (module, assignments: module.Parameter(p.Name))))
            .Where(p => !p.assignments.IsString)
            .SelectMany(p => p.assignments.Items().Select(a => $"{p.module.Name}: {RoleName(a.Property("roleDefinitionId").Sources[0])}"));

        Assert.Superset(
            new HashSet<string>
            {
                "storage: storageBlobDataOwner", "storage: storageQueueDataContributor", "storage: storageTableDataContributor",
                "serviceBus: serviceBusDataSender", "keyVault: keyVaultSecretsUser", "keyVault: keyVaultCryptoUser",
                "monitoring: monitoringMetricsPublisher", "communication: communicationAndEmailServiceOwner",
            },
            granted.ToHashSet());
    }

    // "[variables('roles').storageBlobDataOwner]" → storageBlobDataOwner
    private static string RoleName(string expression) => expression.Split('.').Last().TrimEnd(']');
}
