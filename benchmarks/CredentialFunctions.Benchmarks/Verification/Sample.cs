using CredentialFunctions.Domain.Credentials;
using CredentialFunctions.Domain.Programs;

namespace CredentialFunctions.Benchmarks.Verification;

/// <summary>A credential as verification meets it: issued, and renewed some number of times (each renewal adds an audit entry).</summary>
internal static class Sample
{
    private static readonly DateTimeOffset Issued = new(2020, 3, 1, 9, 0, 0, TimeSpan.Zero);

    public static Credential Credential(int renewals)
    {
        var terms = new RenewalTerms(IsoDuration.Parse("P1Y"), RenewalTerms.DefaultReminderOffsets, RenewalTerms.DefaultRenewalWindow,
            RenewalTerms.DefaultGracePeriod, RenewalTerms.DefaultLapseFollowUp, [RenewalPathway.RetakeExam], null);
        var program = CertificationProgram.Create("prg-bench", new ProgramDefinition(
            "Certified Forklift Operator", CredentialKind.InitialCertification, "Safety Board", null, 70, terms, [new CeuCredit(2, "CPD")], "2026.1", null),
            Issued, "admin");
        var bytes = new byte[CertificateId.RandomBytes];
        new Random(renewals).NextBytes(bytes);
        var credential = Domain.Credentials.Credential.Issue(CertificateId.FromRandomBytes(bytes),
            new LearnerIdentity("lms:42", "Ada King Lovelace", "ada@example.org", "42", null), program,
            new Completion(Issued, 88), Placement.None, Issued, "integration:lms").Credential;
        for (var i = 0; i < renewals; i++)
            credential = credential.Renew(RenewalPathway.RetakeExam, credential.ExpiresAt!.Value.AddDays(-20), "integration:lms").Credential;
        return credential;
    }
}
