using CredentialFunctions.Infra.Tests.Support;

namespace CredentialFunctions.Infra.Tests;

/// <summary>
/// The app settings Bicep writes are the ones the code reads: each name binds to a real options
/// property, every option the app cannot do without in Azure is set, and none carries a secret.
/// </summary>
[Collection(CompiledInfrastructureCollection.Name)]
public sealed class AppSettingsAgreementTests(CompiledInfrastructure infra)
{
    /// <summary>Read by the Functions host, Azure.Identity or Application Insights, not by our options classes.</summary>
    private static readonly string[] PlatformSettings =
    [
        "AzureWebJobsStorage__accountName", "AzureWebJobsStorage__credential", "AzureWebJobsStorage__clientId",
        "AZURE_CLIENT_ID", "APPLICATIONINSIGHTS_CONNECTION_STRING", "APPLICATIONINSIGHTS_AUTHENTICATION_STRING",
    ];

    /// <summary>
    /// Sections infra/ already provisions for issues whose options classes are not written yet. When
    /// one of them gets its class, <see cref="Sections_awaiting_an_options_class_still_have_none"/>
    /// fails: remove it here and the binding tests cover it from then on.
    /// </summary>
    private static readonly string[] SectionsAwaitingAnOptionsClass = [];

    /// <summary>Options that exist for local development only and must never be set in Azure (where mail goes through ACS, not SMTP).</summary>
    private static readonly string[] LocalOnlySettings =
    [
        "Cosmos__AccountKey", "Cosmos__CreateIfMissing", "Access__DevelopmentSigningKey", "AuditAnchors__DevelopmentKey",
        "Signing__DevelopmentKey",
        "Email__Smtp__Host", "Email__Smtp__UserName", "Email__Smtp__Password", "Events__LocalLogPath",
        "Documents__ConnectionString", "Documents__CreateIfMissing",
    ];

    /// <summary>Settings Flex Consumption rejects or that would bring keys back (content shares, connection strings).</summary>
    private static readonly string[] SettingsFlexConsumptionRejects =
    [
        "FUNCTIONS_WORKER_RUNTIME", "FUNCTIONS_EXTENSION_VERSION", "WEBSITE_RUN_FROM_PACKAGE", "WEBSITE_CONTENTSHARE",
        "WEBSITE_CONTENTAZUREFILECONNECTIONSTRING", "WEBSITE_USE_PLACEHOLDER_DOTNETISOLATED", "AzureWebJobsStorage",
    ];

    [Fact]
    public void Every_application_setting_binds_to_an_options_property()
    {
        var unbound = Settings().Keys
            .Except(PlatformSettings)
            .Where(name => !SectionsAwaitingAnOptionsClass.Contains(name.Split("__")[0]))
            .Where(name => OptionsContracts.Bind(name) is null);

        Assert.Empty(unbound);
    }

    [Fact]
    public void Sections_awaiting_an_options_class_still_have_none()
    {
        Assert.All(SectionsAwaitingAnOptionsClass, section =>
        {
            Assert.False(OptionsContracts.BySection.ContainsKey(section), $"{section} now has an options class: take it off the awaiting list.");
            Assert.Contains(Settings().Keys, name => name.StartsWith(section + "__", StringComparison.Ordinal));
        });
    }

    [Fact]
    public void Every_option_without_a_default_is_set_in_Azure()
    {
        var missing = OptionsContracts.SettingsWithoutDefault()
            .Except(LocalOnlySettings)
            .Where(name => !Settings().ContainsKey(name));

        Assert.Empty(missing);
    }

    [Fact]
    public void Local_only_settings_are_never_set_in_Azure()
    {
        Assert.Empty(Settings().Keys.Intersect(LocalOnlySettings, StringComparer.OrdinalIgnoreCase));
    }

    [Fact]
    public void No_setting_is_one_Flex_Consumption_rejects()
    {
        Assert.Empty(Settings().Keys.Intersect(SettingsFlexConsumptionRejects, StringComparer.OrdinalIgnoreCase));
    }

    [Fact]
    public void No_setting_carries_a_key_or_a_connection_string()
    {
        string[] forbidden = ["AccountKey=", "SharedAccessKey", "key=", "listKeys(", "listConnectionStrings(", "ConnectionString"];

        var offending = Settings()
            .Where(s => s.Key != "APPLICATIONINSIGHTS_CONNECTION_STRING") // telemetry address, not a credential: local auth is off
            .SelectMany(s => s.Value.Sources.Append(s.Key).Append(s.Value.Text ?? "")
                .Where(text => forbidden.Any(f => text.Contains(f, StringComparison.OrdinalIgnoreCase)))
                .Select(text => $"{s.Key}: {text}"));

        Assert.Empty(offending);
    }

    [Fact]
    public void Every_secret_setting_is_a_Key_Vault_reference_resolved_by_the_app_identity()
    {
        var secrets = Settings().Where(s => s.Key.EndsWith("Secret", StringComparison.OrdinalIgnoreCase)).ToArray();

        Assert.Contains(secrets, s => s.Key == "Webhooks__Lms__SigningSecret");
        Assert.All(secrets, s => Assert.Matches(@"^@Microsoft\.KeyVault\(SecretUri=⟨\?⟩secrets/[a-z0-9-]+/\)$", s.Value.Text));

        var (app, site) = infra.Single("Microsoft.Web/sites");
        var identity = app.Evaluate(site.GetProperty("properties").GetProperty("keyVaultReferenceIdentity"));
        Assert.Equal("[reference('identity').outputs.id.value]", identity.Sources[1]);
    }

    [Fact]
    public void Host_storage_and_SDK_clients_authenticate_as_the_user_assigned_identity()
    {
        var settings = Settings();
        const string identityClientId = "reference('identity').outputs.clientId.value";

        Assert.Equal("managedidentity", settings["AzureWebJobsStorage__credential"].Text);
        Assert.Equal($"[{identityClientId}]", settings["AzureWebJobsStorage__clientId"].Sources[0]);
        Assert.Equal($"[{identityClientId}]", settings["AZURE_CLIENT_ID"].Sources[0]);
        Assert.Equal("ClientId=⟨?⟩;Authorization=AAD", settings["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"].Text);
        Assert.Contains(identityClientId, settings["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"].Sources[0], StringComparison.Ordinal);
    }

    /// <summary>The app settings resource of the function app, name → value.</summary>
    private Dictionary<string, ArmValue> Settings()
    {
        var (deployment, config) = infra.Single("Microsoft.Web/sites/config");
        Assert.EndsWith("/appsettings", deployment.Evaluate(config.GetProperty("name")).Text, StringComparison.Ordinal);
        var settings = deployment.Evaluate(config.GetProperty("properties"));
        return settings.PropertyNames().ToDictionary(name => name, settings.Property, StringComparer.Ordinal);
    }
}
