namespace CredentialFunctions.Adapters.Documents;

/// <summary>
/// App settings section "Documents": where application documents are stored. In Azure the blob
/// service URI, reached with the managed identity (the account has shared keys disabled); locally
/// a connection string to Azurite, which the local host starts itself when neither is set.
/// </summary>
public sealed class DocumentOptions
{
    public const string Section = "Documents";

    /// <summary>The account's blob endpoint, e.g. https://stabc.blob.core.windows.net/.</summary>
    public string BlobServiceUri { get; set; } = "";

    /// <summary>Local only (Azurite, e.g. <c>UseDevelopmentStorage=true</c>); set, it wins over <see cref="BlobServiceUri"/>.</summary>
    public string? ConnectionString { get; set; }

    public string ContainerName { get; set; } = "application-documents";

    /// <summary>Local only: create the container at start-up (Bicep owns it in Azure).</summary>
    public bool CreateIfMissing { get; set; }
}
