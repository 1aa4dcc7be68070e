using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using CredentialFunctions.Application.Signing;
using CredentialFunctions.Domain.Audit;
using CredentialFunctions.Domain.Credentials;
using CredentialFunctions.Domain.Programs;

namespace CredentialFunctions.Application.Badges;

/// <summary>
/// One <c>BitstringStatusListEntry</c> of a credential (W3C Bitstring Status List): where its bit
/// is, for one purpose (revocation, suspension). The status lists supply them; the credential carries them.
/// </summary>
public sealed record CredentialStatusEntry(string Id, string StatusPurpose, int StatusListIndex, string StatusListCredential)
{
    public const string Type = "BitstringStatusListEntry";

    public JsonObject ToJson() => new()
    {
        ["id"] = Id,
        ["type"] = Type,
        ["statusPurpose"] = StatusPurpose,
        ["statusListIndex"] = StatusListIndex.ToString(CultureInfo.InvariantCulture),
        ["statusListCredential"] = StatusListCredential,
    };
}

/// <summary>
/// The Open Badges 3.0 credential of a record: a W3C Verifiable Credential 2.0 of type
/// OpenBadgeCredential, built from the record as it is now. It is never stored, so a renewal, a
/// reinstatement or a name correction yields a fresh one under the same id: <c>validFrom</c> is when
/// the record last issued what it says (issue, renewal, reinstatement, correction), <c>validUntil</c>
/// its expiry, the holder's name the corrected one, while <c>awardedDate</c> keeps the first award.
/// </summary>
public static class OpenBadgeCredential
{
    public static readonly IReadOnlyList<string> Contexts = IssuerProfile.Contexts;

    /// <summary>The record changes that re-issue the credential's content (a reminder or a credit logged do not).</summary>
    private static readonly AuditAction[] Reissuing = [AuditAction.Issued, AuditAction.Renewed, AuditAction.Reinstated, AuditAction.Corrected];

    /// <param name="publicBase">The app's public address: the credential's id is its verification link under it.</param>
    /// <param name="status">Its status list entries; none until the status lists assign them.</param>
    public static JsonObject Build(Credential credential, IssuerProfile issuer, Uri publicBase, IReadOnlyList<CredentialStatusEntry> status)
    {
        var program = credential.Program;
        var scoreDescription = $"urn:credential-functions:program:{program.ProgramId}:result:score";
        var vc = new JsonObject
        {
            ["@context"] = new JsonArray([.. Contexts.Select(c => JsonValue.Create(c))]),
            ["id"] = IdOf(credential.CertificateId, publicBase),
            ["type"] = new JsonArray("VerifiableCredential", "OpenBadgeCredential"),
            ["name"] = program.Name,
            ["issuer"] = new JsonObject { ["id"] = issuer.Id, ["type"] = new JsonArray("Profile"), ["name"] = issuer.Name },
            ["validFrom"] = Instant(ValidFrom(credential)),
            ["awardedDate"] = Instant(credential.IssuedAt),
        };
        if (credential.ExpiresAt is { } expiry) vc["validUntil"] = Instant(expiry);

        var achievement = new JsonObject
        {
            ["id"] = $"urn:credential-functions:program:{program.ProgramId}",
            ["type"] = new JsonArray("Achievement"),
            ["achievementType"] = AchievementType(program.Kind),
            ["name"] = program.Name,
            ["description"] = $"{program.Name}, awarded by {program.IssuingOrganization}.",
            ["criteria"] = new JsonObject
            {
                ["narrative"] = string.Create(CultureInfo.InvariantCulture, $"A score of at least {credential.PassThreshold} out of 100 in the assessment of {program.Name}."),
            },
            ["resultDescription"] = new JsonArray(new JsonObject
            {
                ["id"] = scoreDescription,
                ["type"] = new JsonArray("ResultDescription"),
                ["name"] = "Score",
                ["resultType"] = "Percent",
                ["requiredValue"] = Number(credential.PassThreshold),
                ["valueMin"] = "0",
                ["valueMax"] = "100",
            }),
        };
        var subject = new JsonObject
        {
            ["type"] = new JsonArray("AchievementSubject"),
            ["identifier"] = new JsonArray(HashedEmail(credential), LegalName(credential)),
            ["achievement"] = achievement,
            ["activityEndDate"] = Instant(credential.Completion.CompletedAt),
            ["result"] = new JsonArray(new JsonObject
            {
                ["type"] = new JsonArray("Result"),
                ["resultDescription"] = scoreDescription,
                ["value"] = Number(credential.Completion.Score),
            }),
        };
        if (credential.CreditsEarned.Count > 0)
        {
            var total = credential.CreditsEarned.Sum(c => c.Amount);
            achievement["creditsAvailable"] = (double)total;
            subject["creditsEarned"] = (double)total;
            AddCredits(credential.CreditsEarned, program.ProgramId, achievement["resultDescription"]!.AsArray(), subject["result"]!.AsArray());
        }
        vc["credentialSubject"] = subject;
        if (status.Count > 0) vc["credentialStatus"] = status.Count == 1 ? status[0].ToJson() : new JsonArray([.. status.Select(s => s.ToJson())]);
        return vc;
    }

    /// <summary>The credential's id: its public verification link, which resolves for anyone.</summary>
    public static string IdOf(string certificateId, Uri publicBase) => $"{publicBase.ToString().TrimEnd('/')}/api/verify/{Uri.EscapeDataString(certificateId)}";

    public static DateTimeOffset ValidFrom(Credential credential)
        => credential.AuditTrail.LastOrDefault(e => Reissuing.Contains(e.Action))?.At ?? credential.IssuedAt;

    /// <summary>
    /// The holder's email as OB 3.0's IdentityHash, <c>sha256$hex(email + salt)</c>: a verifier who
    /// knows the email can confirm it, nobody can read it. The salt is the certificate id: unique to
    /// the credential, so no table of hashed emails serves two of them, and stable, so the VC built
    /// again is the same; OB 3.0 publishes the salt beside the hash in any case.
    /// </summary>
    public static JsonObject HashedEmail(Credential credential)
    {
        var salt = credential.CertificateId;
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(credential.Holder.Email.Trim().ToLowerInvariant() + salt));
        return new JsonObject
        {
            ["type"] = "IdentityObject",
            ["identityHash"] = "sha256$" + Convert.ToHexStringLower(hash),
            ["identityType"] = "emailAddress",
            ["hashed"] = true,
            ["salt"] = salt,
        };
    }

    /// <summary>The full legal name, in the clear as on the certificate and the verification page.</summary>
    private static JsonObject LegalName(Credential credential) => new()
    {
        ["type"] = "IdentityObject",
        ["identityHash"] = credential.Holder.LegalName,
        ["identityType"] = "name",
        ["hashed"] = false,
    };

    /// <summary>CE/CPD credits by category: a result per category, described by the achievement.</summary>
    private static void AddCredits(IReadOnlyList<CeuCredit> credits, string programId, JsonArray descriptions, JsonArray results)
    {
        foreach (var category in credits.GroupBy(c => c.Category, StringComparer.Ordinal))
        {
            var id = $"urn:credential-functions:program:{programId}:result:credits:{Uri.EscapeDataString(category.Key)}";
            descriptions.Add(new JsonObject
            {
                ["id"] = id,
                ["type"] = new JsonArray("ResultDescription"),
                ["name"] = $"{category.Key} credits",
                ["resultType"] = "ext:ContinuingEducationCredits",
            });
            results.Add(new JsonObject
            {
                ["type"] = new JsonArray("Result"),
                ["resultDescription"] = id,
                ["value"] = Number(category.Sum(c => c.Amount)),
            });
        }
    }

    private static string AchievementType(CredentialKind kind) => kind switch
    {
        CredentialKind.Certificate => "Certificate",
        CredentialKind.Microcredential => "MicroCredential",
        _ => "Certification", // initial certification and recertification; practice and benchmark results never issue
    };

    private static string Instant(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Number(decimal value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
