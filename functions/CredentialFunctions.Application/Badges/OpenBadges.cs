using System.Text.Json.Nodes;
using CredentialFunctions.Application.Ports;
using CredentialFunctions.Application.Signing;
using CredentialFunctions.Application.Verification;
using CredentialFunctions.Domain;
using CredentialFunctions.Domain.Credentials;

namespace CredentialFunctions.Application.Badges;

/// <summary>
/// Where a credential's status list entry comes from (<see cref="StatusLists.StatusListEntriesOfBadges"/>).
/// </summary>
public interface ICredentialStatusEntries
{
    Task<IReadOnlyList<CredentialStatusEntry>> ForAsync(Credential credential, CancellationToken cancellationToken);
}

/// <summary>A record that fails its tamper check: the issuer does not sign what it cannot vouch for (HTTP 409).</summary>
public sealed class UnverifiableRecordException(string certificateId)
    : DomainException($"Credential {certificateId} fails its tamper check, so no badge is signed for it. Contact the issuer.");

/// <summary>
/// A credential's Open Badges 3.0 VC, signed as a VC-JWT (OB 3.0 §8.2, VC-JOSE-COSE): the payload is
/// the credential itself, with the registered claims beside it (<c>iss</c> the issuer's id,
/// <c>jti</c> the credential's id, <c>nbf</c> its <c>validFrom</c>, <c>exp</c> its
/// <c>validUntil</c>). There is no <c>sub</c>: the subject has no id of its own (a holder has no
/// DID); its <c>identifier</c> names the holder. One point read; signed fresh on each request.
/// </summary>
public sealed class OpenBadges(VerificationService verification, IssuerProfile issuer, VcJwtSigner signer, IEnumerable<ICredentialStatusEntries> statusEntries, Uri publicBase)
{
    public async Task<string> SignedCredentialAsync(string certificateId, CancellationToken cancellationToken)
    {
        var verified = await verification.ReadAsync(certificateId, cancellationToken);
        var credential = verified.Credential ?? throw new UnverifiableRecordException(verified.CertificateId);
        var status = new List<CredentialStatusEntry>();
        foreach (var source in statusEntries) status.AddRange(await source.ForAsync(credential, cancellationToken));
        var vc = OpenBadgeCredential.Build(credential, issuer, publicBase, status);
        return await signer.SignAsync(VcJwtSigner.VerifiableCredentialType, Claims(vc, credential), cancellationToken);
    }

    private static JsonObject Claims(JsonObject vc, Credential credential)
    {
        vc["iss"] = vc["issuer"]!["id"]!.GetValue<string>();
        vc["jti"] = vc["id"]!.GetValue<string>();
        vc["nbf"] = OpenBadgeCredential.ValidFrom(credential).ToUnixTimeSeconds();
        if (credential.ExpiresAt is { } expiry) vc["exp"] = expiry.ToUnixTimeSeconds();
        return vc;
    }
}
