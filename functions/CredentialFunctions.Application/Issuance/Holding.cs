namespace CredentialFunctions.Application.Issuance;

/// <summary>
/// Which credential of a program a learner holds: one document per learner and program, so the
/// first issue, a renewal by retake and a new issue after revocation are each decided by one
/// conditional write of it (create if absent, else replace with its ETag) and two passes can never
/// both decide.
/// </summary>
/// <param name="CertificateId">The open credential, or the one being issued while <paramref name="Pending"/> says so.</param>
/// <param name="Pending">
/// A pass whose change (issue or renewal) is decided but not yet all written: its receipt, credential
/// and window follow, and clearing this comes last. While it is set no other pass decides anything,
/// and it holds all that is needed to finish the change if the request dies.
/// </param>
public sealed record Holding(string LearnerId, string ProgramId, string CertificateId, CompletionReceipt? Pending);
