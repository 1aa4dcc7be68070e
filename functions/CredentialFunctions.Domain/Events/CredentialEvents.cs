using System.Text.Json;
using System.Text.Json.Nodes;
using CredentialFunctions.Domain.Audit;
using CredentialFunctions.Domain.Credentials;

namespace CredentialFunctions.Domain.Events;

/// <summary>
/// The events a credential's lifecycle changes publish (docs/events/credentials.credential.*.schema.json).
/// A subscriber (an HR system, a CRM, a data warehouse) learns which learner's credential of which
/// program changed, to what and until when; the holder's name and email stay in the record, which
/// the API serves to those allowed to read it, and so do free-text reasons, which may name people.
/// </summary>
public static class CredentialEvents
{
    /// <summary>
    /// The change's audit entry names it once and for all: the certificate id and the entry's
    /// sequence. A write retried after an ETag conflict re-applies the change to the fresh record
    /// and makes its event again, but only the write that lands keeps one.
    /// </summary>
    public static string IdOf(string certificateId, AuditEntry entry) => $"{certificateId}:{entry.Sequence}";

    public static string SubjectOf(string certificateId) => $"credentials/{certificateId}";

    public static IntegrationEvent Of(string type, Credential changed, AuditEntry entry)
    {
        var data = new JsonObject
        {
            ["certificateId"] = changed.CertificateId,
            ["learnerId"] = changed.Holder.LearnerId,
            ["programId"] = changed.Program.ProgramId,
            ["programVersion"] = changed.Program.Version,
            ["state"] = JsonNamingPolicy.CamelCase.ConvertName(changed.State.ToString()),
            ["cycle"] = changed.Cycle,
            ["issuedAt"] = changed.IssuedAt,
            ["expiresAt"] = changed.ExpiresAt,
            ["changedAt"] = entry.At,
            ["tracked"] = changed.TrackingEndedAt is null,
        };
        if (type == EventTypes.CredentialRenewed && changed.RenewalHistory is [.., var renewal])
        {
            data["pathway"] = JsonNamingPolicy.CamelCase.ConvertName(renewal.Pathway.ToString());
            data["previousExpiresAt"] = renewal.PreviousExpiry;
        }
        return new IntegrationEvent(IdOf(changed.CertificateId, entry), type, SubjectOf(changed.CertificateId), entry.At, data);
    }
}
