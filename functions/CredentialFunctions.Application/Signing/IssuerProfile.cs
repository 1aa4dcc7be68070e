using System.Text.Json.Serialization;

namespace CredentialFunctions.Application.Signing;

/// <summary>
/// The issuer as Open Badges 3.0 describes it (a <c>Profile</c>), served at its own id, so the
/// <c>issuer.id</c> of every credential resolves to this document.
/// </summary>
public sealed record IssuerProfile(
    [property: JsonPropertyName("@context")] IReadOnlyList<string> Context,
    string Id,
    IReadOnlyList<string> Type,
    string Name)
{
    public static readonly IReadOnlyList<string> Contexts =
        ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"];

    /// <summary>The issuer lives at <c>{publicBase}/api/issuer</c>: a stable URL of ours, whatever the keys.</summary>
    public static IssuerProfile At(Uri publicBase, string name)
        => new(Contexts, $"{publicBase.ToString().TrimEnd('/')}/api/issuer", ["Profile"], name);
}
