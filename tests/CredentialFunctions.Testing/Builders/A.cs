using CredentialFunctions.Domain.Credentials;
using CredentialFunctions.Domain.Programs;

namespace CredentialFunctions.Testing.Builders;

/// <summary>
/// Test data for every test project and the benchmarks: a program's renewal terms in ISO-8601
/// text, the program, and a credential issued under it. Each test names only what it cares about;
/// the rest is one plausible widgetmaker certification.
/// </summary>
/// <remarks>
/// Uses nothing but the domain: the domain and application test projects compile this file
/// themselves, so that they build against their own core alone (see their project files).
/// </remarks>
public static class A
{
    public static readonly DateTimeOffset Jan1 = new(2026, 1, 1, 9, 0, 0, TimeSpan.Zero);

    public static readonly LearnerIdentity Learner = new("lms:42", "Ada Lovelace", "ada@example.org", "42", null);

    /// <param name="reminders">Default: <see cref="RenewalTerms.DefaultReminderOffsets"/>. The renewal window opens with the earliest reminder.</param>
    /// <param name="pathways">Default: retake the exam or take the refresher module.</param>
    public static RenewalTerms Terms(
        string? validity = "P1Y", string[]? reminders = null, string grace = "P30D", string followUp = "P30D", RenewalPathway[]? pathways = null)
    {
        var offsets = reminders?.Select(IsoDuration.Parse).ToList() ?? [.. RenewalTerms.DefaultReminderOffsets];
        return new RenewalTerms(validity is null ? null : IsoDuration.Parse(validity), offsets, offsets.MaxBy(o => Jan1 - o.SubtractFrom(Jan1)),
            IsoDuration.Parse(grace), IsoDuration.Parse(followUp), pathways ?? [RenewalPathway.RetakeExam, RenewalPathway.RefresherModule], null);
    }

    public static ProgramDefinition Definition(RenewalTerms? terms = null, CredentialKind kind = CredentialKind.InitialCertification, decimal threshold = 70) => new(
        "Certified Widgetmaker", kind, "Widget Board", "WB", threshold, terms ?? Terms(), [new CeuCredit(2.5m, "CPD")], "2026.1", null);

    public static CertificationProgram Program(RenewalTerms? terms = null, CredentialKind kind = CredentialKind.InitialCertification, decimal threshold = 70, DateTimeOffset? at = null)
        => Program(Definition(terms, kind, threshold), at);

    public static CertificationProgram Program(ProgramDefinition definition, DateTimeOffset? at = null)
        => CertificationProgram.Create("widgetmaker", definition, at ?? Jan1, "admin");

    /// <summary>The same id for the same seed, so a test can name a credential it has not built.</summary>
    public static CertificateId Id(int seed = 7)
    {
        var bytes = new byte[CertificateId.RandomBytes];
        new Random(seed).NextBytes(bytes);
        return CertificateId.FromRandomBytes(bytes);
    }

    /// <summary>Issued by the LMS at <paramref name="issuedAt"/> (default <see cref="Jan1"/>), under a program created then.</summary>
    /// <param name="seed">Of the certificate id: credentials stored side by side need different seeds.</param>
    public static Credential Credential(RenewalTerms? terms = null, DateTimeOffset? issuedAt = null, int seed = 7)
        => Credential(Program(terms, at: issuedAt), issuedAt, seed: seed);

    /// <param name="completedAt">Default: the moment of issue.</param>
    public static Credential Credential(
        CertificationProgram program, DateTimeOffset? issuedAt = null, DateTimeOffset? completedAt = null, int seed = 7,
        LearnerIdentity? holder = null, Placement? placement = null, decimal score = 88)
    {
        var at = issuedAt ?? Jan1;
        return Domain.Credentials.Credential.Issue(Id(seed), holder ?? Learner, program, new Completion(completedAt ?? at, score),
            placement ?? new Placement("Blue", "2026-A", "Site 3"), at, "integration:lms").Credential;
    }

    /// <summary>
    /// Imported at <paramref name="importedAt"/> from earlier records, from line 2 of "legacy.csv":
    /// issued one validity per cycle before <paramref name="expiresAt"/> (a year with the default terms), renewed on each anniversary.
    /// </summary>
    public static Credential Imported(DateTimeOffset expiresAt, DateTimeOffset importedAt, int renewals = 0, RenewalTerms? terms = null, int seed = 7)
    {
        var issuedAt = expiresAt.AddYears(-(renewals + 1));
        var history = Enumerable.Range(1, renewals).Select(n => new ImportedRenewal(issuedAt.AddYears(n).AddDays(-10), RenewalPathway.RetakeExam)).ToList();
        return Domain.Credentials.Credential.Import(Id(seed), Learner, Program(terms, at: issuedAt), new ImportedRecord(new Completion(issuedAt, 91), issuedAt, expiresAt, [], history),
            new Placement("Blue", "2019-B", "Site 3"), new ImportOrigin("legacy.csv", new string('a', 64), 2, importedAt, "user:registrar")).Credential;
    }
}
