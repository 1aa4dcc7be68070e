using CredentialFunctions.Domain.Credentials;
using CredentialFunctions.Domain.Programs;

namespace CredentialFunctions.Domain.Tests;

/// <summary>Small builders for test data: each test states only what it cares about.</summary>
internal static class A
{
    public static readonly DateTimeOffset Jan1 = new(2026, 1, 1, 9, 0, 0, TimeSpan.Zero);

    public static RenewalTerms Terms(string? validity = "P1Y", string grace = "P30D", params RenewalPathway[] pathways) => new(
        validity is null ? null : IsoDuration.Parse(validity),
        RenewalTerms.DefaultReminderOffsets,
        RenewalTerms.DefaultRenewalWindow,
        IsoDuration.Parse(grace),
        RenewalTerms.DefaultLapseFollowUp,
        pathways.Length == 0 ? [RenewalPathway.RetakeExam, RenewalPathway.RefresherModule] : pathways,
        null);

    public static ProgramDefinition Definition(CredentialKind kind = CredentialKind.InitialCertification, decimal threshold = 70, RenewalTerms? terms = null) => new(
        "Certified Widgetmaker", kind, "Widget Board", "WB", threshold, terms ?? Terms(), [new CeuCredit(2.5m, "CPD")], "2026.1", null);

    public static CertificationProgram Program(CredentialKind kind = CredentialKind.InitialCertification, decimal threshold = 70, RenewalTerms? terms = null)
        => CertificationProgram.Create("widgetmaker", Definition(kind, threshold, terms), Jan1, "admin");

    public static CertificateId Id(byte seed = 7)
    {
        var bytes = new byte[CertificateId.RandomBytes];
        new Random(seed).NextBytes(bytes);
        return CertificateId.FromRandomBytes(bytes);
    }

    public static Credential Credential(RenewalTerms? terms = null, DateTimeOffset? completedAt = null) => Domain.Credentials.Credential.Issue(
        Id(), new LearnerIdentity("lms:42", "Ada Lovelace", "ada@example.org", "42", null),
        Program(terms: terms), new Completion(completedAt ?? Jan1, 88), new Placement("Blue", "2026-A", "Site 3"),
        completedAt ?? Jan1, "lms:evt-1").Credential;
}
