namespace CredentialFunctions.Adapters.Cosmos;

/// <summary>App settings section "Cosmos" (Cosmos__AccountEndpoint, …).</summary>
public sealed class CosmosOptions
{
    public const string Section = "Cosmos";

    /// <summary>The account's document endpoint, e.g. https://acct.documents.azure.com:443/.</summary>
    public string AccountEndpoint { get; set; } = "";

    public string DatabaseName { get; set; } = "credentials";

    /// <summary>
    /// Only for the local server, which accepts any key. Empty in Azure: the app authenticates with
    /// its managed identity and the account has local (key) auth disabled.
    /// </summary>
    public string? AccountKey { get; set; }

    /// <summary>Local only: create the database and containers from <see cref="CosmosLayout"/> at start-up (Bicep owns them in Azure).</summary>
    public bool CreateIfMissing { get; set; }
}
