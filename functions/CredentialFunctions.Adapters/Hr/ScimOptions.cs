namespace CredentialFunctions.Adapters.Hr;

/// <summary>
/// App settings section "Scim": how the HR provisioning client authenticates. In Azure the secret
/// is a Key Vault reference resolved by the platform with the managed identity; Entra ID's
/// provisioning service sends it as its "Secret Token".
/// </summary>
public sealed class ScimOptions
{
    public const string Section = "Scim";

    /// <summary>The bearer secret the provisioning client sends (Authorization: Bearer &lt;secret&gt;).</summary>
    public string BearerSecret { get; set; } = "";
}
