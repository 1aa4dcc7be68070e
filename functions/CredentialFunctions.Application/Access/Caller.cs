namespace CredentialFunctions.Application.Access;

/// <summary>
/// The roles of spec C12; in Entra ID they are the app roles of the API's registration. A
/// Supervisor signs off a learner's competence for the supervisor sign-off renewal pathway; Finance
/// reconciles payments and refunds against the provider's payout report.
/// </summary>
public enum Role { Administrator, ProgramManager, Auditor, Learner, Supervisor, Finance }

/// <summary>Who is calling, as established by the bearer token or a webhook signature.</summary>
/// <param name="LearnerId">
/// The learner the caller is, from the token's learner_id claim (an Entra optional claim or
/// directory extension). Email is deliberately not used: it is not always a verified claim.
/// </param>
public sealed record Caller(string Id, IReadOnlySet<Role> Roles, string? LearnerId)
{
    public bool IsStaff => Roles.Contains(Role.Administrator) || Roles.Contains(Role.ProgramManager) || Roles.Contains(Role.Auditor);

    /// <summary>For audit entries: "user:{id}" for people, "integration:{name}" for webhooks.</summary>
    public string AuditName => Id;

    /// <summary>Whether the caller is the person who holds the credential, whatever roles they have.</summary>
    public bool IsHolderOf(Domain.Credentials.Credential credential) => LearnerId is { } learnerId && learnerId == credential.Holder.LearnerId;

    /// <summary>Whether the caller acts as the learner who holds the credential.</summary>
    public bool Owns(Domain.Credentials.Credential credential) => Roles.Contains(Role.Learner) && IsHolderOf(credential);

    /// <summary>The subject of the caller's token (Entra object id or sub); null for integrations.</summary>
    public string? Subject { get; init; }

    /// <summary>A person, by their token's subject.</summary>
    public static Caller User(string subject, IReadOnlySet<Role> roles, string? learnerId) => new($"user:{subject}", roles, learnerId) { Subject = subject };

    public static Caller Integration(string name) => new($"integration:{name}", new HashSet<Role>(), null);
}

/// <summary>The caller is known but may not do this (HTTP 403).</summary>
public sealed class AccessDeniedException(string message) : Domain.DomainException(message);
