using CredentialFunctions.Domain.Credentials;
using CredentialFunctions.Domain.Programs;

namespace CredentialFunctions.Renewal.Tests;

/// <summary>Small builders: a program's renewal terms in ISO-8601 text, and a credential issued under them.</summary>
internal static class A
{
    public static readonly DateTimeOffset Jan1 = new(2026, 1, 1, 9, 0, 0, TimeSpan.Zero);

    /// <summary>The renewal window opens with the earliest reminder.</summary>
    public static RenewalTerms Terms(string validity = "P1Y", string[]? reminders = null, string grace = "P30D", string followUp = "P30D")
    {
        var offsets = (reminders ?? ["P90D", "P60D", "P30D"]).Select(IsoDuration.Parse).ToList();
        return new RenewalTerms(IsoDuration.Parse(validity), offsets, offsets.MaxBy(o => Jan1 - o.SubtractFrom(Jan1)),
            IsoDuration.Parse(grace), IsoDuration.Parse(followUp), [RenewalPathway.RetakeExam, RenewalPathway.RefresherModule], null);
    }

    public static CertificationProgram Program(RenewalTerms terms, DateTimeOffset? at = null) => CertificationProgram.Create("widgetmaker", new ProgramDefinition(
        "Certified Widgetmaker", CredentialKind.InitialCertification, "Widget Board", null, 70, terms, [], null, null), at ?? Jan1, "admin");

    public static Credential Credential(RenewalTerms terms, DateTimeOffset? issuedAt = null, byte seed = 1)
    {
        var at = issuedAt ?? Jan1;
        var program = Program(terms, at);
        var bytes = new byte[CertificateId.RandomBytes];
        new Random(seed).NextBytes(bytes);
        return Domain.Credentials.Credential.Issue(CertificateId.FromRandomBytes(bytes),
            new LearnerIdentity("lms:42", "Ada Lovelace", "ada@example.org", "42", null), program, new Completion(at, 90), Placement.None, at, "test").Credential;
    }
}
