using CredentialFunctions.Application.Ports;
using CredentialFunctions.Domain;
using CredentialFunctions.Domain.Audit;
using CredentialFunctions.Domain.Credentials;

namespace CredentialFunctions.Application.Verification;

/// <summary>The public answer about a credential: its status and the facts printed on it, nothing more personal.</summary>
public sealed record VerificationResult(
    string CertificateId,
    bool Authentic,
    CredentialStatus? Status,
    string? HolderName,
    string? Program,
    string? Issuer,
    DateTimeOffset? IssuedAt,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset CheckedAt,
    string? Problem);

/// <summary>The text is not a certificate id, or its check symbol says it was mistyped (HTTP 400, no store read).</summary>
public sealed class MistypedCertificateIdException(string message, CertificateId.ParseFailure failure) : DomainException(message)
{
    public CertificateId.ParseFailure Failure { get; } = failure;
}

public sealed class VerificationService(ICredentialStore credentials, RecordAnchoring anchoring, TimeProvider clock)
{
    public static CertificateId ParseOrThrow(string text) => CertificateId.TryParse(text, out var id) switch
    {
        CertificateId.ParseFailure.None => id,
        CertificateId.ParseFailure.CheckSymbolMismatch => throw new MistypedCertificateIdException(
            "The certificate id's check character does not match: one character is probably mistyped or two are swapped. Compare it with the certificate.",
            CertificateId.ParseFailure.CheckSymbolMismatch),
        _ => throw new MistypedCertificateIdException(
            "That is not a certificate id: expected 16 characters like 7QXM-2K9D-RH4T-WZ5C (letters and digits, dashes optional).",
            CertificateId.ParseFailure.Malformed),
    };

    /// <summary>
    /// One point read. The audit chain is recomputed and its anchor checked against the issuer's
    /// keys, so a record edited, truncated, swapped or forged by someone who can write the database
    /// is reported as one that cannot be verified, never vouched for.
    /// </summary>
    public async Task<VerificationResult> VerifyAsync(string text, CancellationToken cancellationToken)
    {
        var verified = await ReadAsync(text, cancellationToken);
        if (verified.Credential is not { } c)
            return new VerificationResult(verified.CertificateId, false, null, null, null, null, null, null, verified.CheckedAt, verified.Problem);
        return new VerificationResult(c.CertificateId, true, verified.Status, c.Holder.LegalName, c.Program.Name,
            c.Program.IssuingOrganization, c.IssuedAt, c.ExpiresAt, verified.CheckedAt, null);
    }

    /// <summary>
    /// The credential behind a verification, for the pages, artifacts and badges that print it: one
    /// point read, and the record withheld when it fails its tamper check (its chain, or the anchor a
    /// database writer cannot make), so nothing built on it can vouch for an edit.
    /// </summary>
    public async Task<VerifiedCredential> ReadAsync(string text, CancellationToken cancellationToken)
    {
        var id = ParseOrThrow(text);
        var stored = await credentials.GetAsync(id.Value, cancellationToken)
            ?? throw new NotFoundException("Credential", id.Value);
        var c = stored.Value;
        var now = clock.GetUtcNow();
        var failure = c.VerifyAuditTrail().IsIntact
            ? Why(await anchoring.CheckAsync(c, cancellationToken))
            : "its audit trail does not match the record";
        return failure is null
            ? new VerifiedCredential(c.CertificateId, c, c.StatusAt(now), now, null)
            : new VerifiedCredential(c.CertificateId, null, null, now, $"This record cannot be verified: it fails its tamper check ({failure}). Contact the issuer.");
    }

    /// <summary>Null when the anchor vouches for the record.</summary>
    private static string? Why(AnchorFailure failure) => failure switch
    {
        AnchorFailure.None => null,
        AnchorFailure.Missing => "it has no anchor; a record written before anchors existed gets one with its next change",
        AnchorFailure.Malformed => "its anchor is malformed",
        AnchorFailure.UnknownKey => "its anchor names a key the issuer does not hold",
        _ => "its anchor does not match the record",
    };
}

/// <summary>
/// A verified credential at an instant; <see cref="Credential"/> and <see cref="Status"/> are null
/// when the record fails its tamper check, and <see cref="Problem"/> then says why.
/// </summary>
public sealed record VerifiedCredential(string CertificateId, Credential? Credential, CredentialStatus? Status, DateTimeOffset CheckedAt, string? Problem);
