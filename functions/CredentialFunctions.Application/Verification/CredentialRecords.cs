using CredentialFunctions.Application.Access;
using CredentialFunctions.Application.Ports;
using CredentialFunctions.Domain;
using CredentialFunctions.Domain.Audit;
using CredentialFunctions.Domain.Credentials;

namespace CredentialFunctions.Application.Verification;

/// <summary>A credential's audit trail for an auditor: every entry (who, when, what, why and what changed) and whether the chain verifies.</summary>
public sealed record AuditReport(string CertificateId, AuditVerification Chain, IReadOnlyList<AuditEntry> Entries);

/// <summary>The full record, for staff and for the learner it belongs to; and its audit trail, for auditors and administrators. Each read is logged.</summary>
public sealed class CredentialRecords(ICredentialStore credentials, IAccessLog accessLog)
{
    public async Task<Versioned<Credential>> GetAsync(string text, Caller caller, CancellationToken cancellationToken)
    {
        var stored = await ReadAsync(text, cancellationToken);
        if (!caller.IsStaff && !caller.Owns(stored.Value))
            throw new AccessDeniedException("Learners may read only their own credentials.");
        await accessLog.RecordAsync(caller, $"credentials/{stored.Value.CertificateId}", null, cancellationToken);
        return stored;
    }

    /// <summary>Who may call it is the route's access rule (auditors and administrators); the record's holder has the full record instead.</summary>
    public async Task<AuditReport> AuditAsync(string text, Caller caller, CancellationToken cancellationToken)
    {
        var credential = (await ReadAsync(text, cancellationToken)).Value;
        await accessLog.RecordAsync(caller, $"credentials/{credential.CertificateId}/audit", null, cancellationToken);
        return new AuditReport(credential.CertificateId, credential.VerifyAuditTrail(), credential.AuditTrail);
    }

    private async Task<Versioned<Credential>> ReadAsync(string text, CancellationToken cancellationToken)
    {
        var id = VerificationService.ParseOrThrow(text);
        return await credentials.GetAsync(id.Value, cancellationToken) ?? throw new NotFoundException("Credential", id.Value);
    }
}
