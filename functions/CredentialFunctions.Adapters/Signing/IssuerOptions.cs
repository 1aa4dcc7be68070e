using CredentialFunctions.Application.Signing;

namespace CredentialFunctions.Adapters.Signing;

/// <summary>
/// App settings section "Issuer": who signs the credentials, as their Open Badges issuer profile
/// (<c>GET /api/issuer</c>) and every credential's <c>issuer</c> name it.
/// </summary>
public sealed class IssuerOptions
{
    public const string Section = "Issuer";

    /// <summary>The certification body's name, e.g. "Safety Board".</summary>
    public string Name { get; set; } = "";

    public IssuerProfile ProfileAt(Uri publicBase) => string.IsNullOrWhiteSpace(Name)
        ? throw new InvalidOperationException($"Set {Section}__{nameof(Name)}: every credential names its issuer.")
        : IssuerProfile.At(publicBase, Name);
}
