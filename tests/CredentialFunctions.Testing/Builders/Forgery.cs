using CredentialFunctions.Domain.Audit;
using CredentialFunctions.Domain.Credentials;

namespace CredentialFunctions.Testing.Builders;

/// <summary>What someone who can write the database, but holds no anchor key, can do to a record.</summary>
public static class Forgery
{
    /// <summary>
    /// Rebuilds the hash chain from its genesis so that it describes the record as it now is: every
    /// entry keeps its fields, the last one takes the record's digest. The chain then checks, as a
    /// plain hash chain always can for whoever edits it.
    /// </summary>
    public static Credential Rechain(Credential c)
    {
        var trail = new List<AuditEntry>();
        foreach (var e in c.AuditTrail)
        {
            var digest = trail.Count == c.AuditTrail.Count - 1 ? RecordDigest.Of(c) : e.RecordDigest;
            trail.Add(AuditTrail.Next(trail, c.CertificateId, e.At, e.Actor, e.Action, e.Reason, e.Details, digest));
        }
        return c with { AuditTrail = trail };
    }
}
