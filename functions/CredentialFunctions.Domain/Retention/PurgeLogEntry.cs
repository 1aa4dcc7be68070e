using CredentialFunctions.Domain.Credentials;

namespace CredentialFunctions.Domain.Retention;

/// <summary>
/// What the purge log keeps of a purged credential, and nothing more: its certificate id, its dates,
/// and who or what purged it (the retention sweep, under which program version's policy, in which
/// mode). No name, email, learner id, score or placement. For an anonymised record this is also all
/// that verification can still say.
/// </summary>
/// <param name="PurgedBy">The actor: <see cref="Sweep"/> for the retention timer.</param>
public sealed record PurgeLogEntry(
    string CertificateId,
    string ProgramId,
    int PolicyVersion,
    PurgeMode Mode,
    DateTimeOffset IssuedAt,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset EndedAt,
    DateTimeOffset DueSince,
    DateTimeOffset PurgedAt,
    string PurgedBy)
{
    public const string Sweep = "system:retention";

    /// <summary>The entry for a credential the policy found due; the caller writes it before it removes the record.</summary>
    public static PurgeLogEntry For(Credential credential, int policyVersion, RetentionPolicy policy, RetentionVerdict verdict, DateTimeOffset at)
        => verdict is { EndedAt: { } endedAt, DueSince: { } dueSince }
            ? new(credential.CertificateId, credential.Program.ProgramId, policyVersion, policy.Purge, credential.IssuedAt, credential.ExpiresAt, endedAt, dueSince, at, Sweep)
            : throw new InvalidTransitionException($"Credential {credential.CertificateId} is not past its retention.");
}
