namespace CredentialFunctions.Application.Issuance;

/// <summary>
/// Which credential of a program a learner holds: one document per learner and program, so the
/// first issue, a renewal by retake, a new issue after revocation and a reinstatement are each
/// decided by one conditional write of it (create if absent, else replace with its ETag) and two
/// of them can never both decide.
/// </summary>
/// <param name="CertificateId">The open credential, or the one being issued or reinstated while <paramref name="Pending"/> or <paramref name="Reinstating"/> says so.</param>
/// <param name="Pending">
/// A pass whose change (issue or renewal) is decided but not yet all written: its receipt, credential
/// and window follow, and clearing this comes last. While it is set no other pass decides anything,
/// and it holds all that is needed to finish the change if the request dies.
/// </param>
/// <param name="Reinstating">
/// A reinstatement of <paramref name="CertificateId"/> that took the holding and is not yet written to
/// the credential; never set together with <paramref name="Pending"/>. It is finished, never undone, so
/// a pass that meets it may answer that the credential holds the program.
/// </param>
public sealed record Holding(string LearnerId, string ProgramId, string CertificateId, CompletionReceipt? Pending, PendingReinstatement? Reinstating = null);

/// <summary>A program manager's reinstatement as it will be applied to the credential, by whoever finishes it.</summary>
public sealed record PendingReinstatement(DateTimeOffset At, string Actor, string Reason);

/// <summary>A credential cannot re-open: another credential of the learner now holds the program.</summary>
public sealed class ProgramHeldException(string certificateId, string programId, string heldBy)
    : Domain.DomainException($"Credential {certificateId} cannot be reinstated: credential {heldBy} now holds program '{programId}' for this learner. Revoke {heldBy} first if {certificateId} should be the one.")
{
    public string HeldBy { get; } = heldBy;
}
