namespace CredentialFunctions.Domain.Programs;

/// <summary>The kinds of credential a certification body offers (seed 000).</summary>
public enum CredentialKind
{
    InitialCertification,
    Certificate,
    Microcredential,
    Recertification,
    BenchmarkExam,
    PracticeTest,
}

/// <summary>What a learner may complete to renew (seed 003, "multi-pathway renewals").</summary>
public enum RenewalPathway
{
    RetakeExam,
    ContinuingEducationCredits,
    RefresherModule,
    SupervisorSignOff,
}

/// <summary>How credits a learner logs themselves count toward renewal: only once a program manager approves them, or on their word.</summary>
public enum CreditAttestation { ReviewRequired, SelfAttested }

/// <summary>CEU or CPD credits, with the category a regulator counts them under.</summary>
public sealed record CeuCredit(decimal Amount, string Category);

/// <summary>
/// The renewal rules a credential is issued under. Copied onto each credential, so its schedule
/// never changes because someone edited the program later.
/// </summary>
public sealed record RenewalTerms(
    IsoDuration? Validity,
    IReadOnlyList<IsoDuration> ReminderOffsets,
    IsoDuration RenewalWindow,
    IsoDuration GracePeriod,
    IsoDuration LapseFollowUp,
    IReadOnlyList<RenewalPathway> Pathways,
    decimal? RequiredCeCredits)
{
    /// <summary>Not a constructor parameter, so terms copied onto credentials before it existed still read (as the default, review).</summary>
    public CreditAttestation CreditAttestation { get; init; }

    public static readonly IReadOnlyList<IsoDuration> DefaultReminderOffsets = [IsoDuration.FromDays(90), IsoDuration.FromDays(60), IsoDuration.FromDays(30)];
    public static readonly IsoDuration DefaultRenewalWindow = IsoDuration.FromDays(90);
    public static readonly IsoDuration DefaultGracePeriod = IsoDuration.FromDays(30);
    public static readonly IsoDuration DefaultLapseFollowUp = IsoDuration.FromDays(30);
}

/// <summary>What a program manager submits to create or revise a program.</summary>
public sealed record ProgramDefinition(
    string Name,
    CredentialKind Kind,
    string IssuingOrganization,
    string? Brand,
    decimal PassThreshold,
    RenewalTerms Renewal,
    IReadOnlyList<CeuCredit> CreditsAwarded,
    string? ContentVersion,
    string? RegulatoryModule)
{
    /// <summary>Every broken rule at once, so the caller can fix the whole request in one go.</summary>
    public void Validate()
    {
        var errors = new ValidationErrors();
        if (string.IsNullOrWhiteSpace(Name) || Name.Length > 200) errors.Add("name", "A program needs a name of 1 to 200 characters.");
        if (!Enum.IsDefined(Kind)) errors.Add("kind", "Unknown credential kind.");
        if (string.IsNullOrWhiteSpace(IssuingOrganization) || IssuingOrganization.Length > 200) errors.Add("issuingOrganization", "The issuing organization is required (1 to 200 characters).");
        if (PassThreshold is < 0 or > 100) errors.Add("passThreshold", "The pass threshold is a score from 0 to 100.");
        var r = Renewal;
        if (r.Validity is { IsZero: true }) errors.Add("renewal.validity", "A validity must be longer than zero; leave it out for a credential that never expires.");
        if (r.ReminderOffsets.Any(o => o.IsZero)) errors.Add("renewal.reminderOffsets", "Each reminder offset must be longer than zero.");
        if (r.ReminderOffsets.Distinct().Count() != r.ReminderOffsets.Count) errors.Add("renewal.reminderOffsets", "Reminder offsets must be distinct.");
        if (r.Validity is { } validity)
        {
            var probe = new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);
            var expiry = validity.AddTo(probe);
            if (r.ReminderOffsets.Any(o => o.SubtractFrom(expiry) < probe)) errors.Add("renewal.reminderOffsets", "A reminder offset cannot be longer than the validity.");
            if (r.RenewalWindow.SubtractFrom(expiry) < probe) errors.Add("renewal.renewalWindow", "The renewal window cannot be longer than the validity.");
        }
        if (r.Pathways.Any(p => !Enum.IsDefined(p))) errors.Add("renewal.pathways", "Unknown renewal pathway.");
        if (r.Pathways.Contains(RenewalPathway.ContinuingEducationCredits) && r.RequiredCeCredits is not > 0)
            errors.Add("renewal.requiredCeCredits", "The continuing-education pathway needs the number of credits required, greater than zero.");
        if (!Enum.IsDefined(r.CreditAttestation)) errors.Add("renewal.creditAttestation", "Credits are either selfAttested or reviewRequired.");
        if (r.RequiredCeCredits is < 0) errors.Add("renewal.requiredCeCredits", "Required credits cannot be negative.");
        for (var i = 0; i < CreditsAwarded.Count; i++)
        {
            if (CreditsAwarded[i].Amount <= 0) errors.Add($"creditsAwarded[{i}].amount", "Credits awarded must be greater than zero.");
            if (string.IsNullOrWhiteSpace(CreditsAwarded[i].Category)) errors.Add($"creditsAwarded[{i}].category", "Each credit needs a category (e.g. CPD, CEU, ethics).");
        }
        errors.ThrowIfAny();
    }
}

/// <summary>
/// A certification program at one version. Revising it makes the next version; credentials keep
/// a reference to the version they were issued under.
/// </summary>
public sealed record CertificationProgram(
    string ProgramId,
    int Version,
    ProgramDefinition Definition,
    DateTimeOffset CreatedAt,
    string CreatedBy)
{
    /// <summary>Practice tests and benchmark exams measure progress; they never issue a credential (seed 000).</summary>
    public bool IssuesCredentials => Definition.Kind is not (CredentialKind.PracticeTest or CredentialKind.BenchmarkExam);

    public static CertificationProgram Create(string programId, ProgramDefinition definition, DateTimeOffset at, string by)
    {
        if (string.IsNullOrWhiteSpace(programId)) throw ValidationFailedException.For("programId", "A program id is required.");
        definition.Validate();
        return new(programId, 1, definition, at, by);
    }

    public CertificationProgram Revise(ProgramDefinition definition, DateTimeOffset at, string by)
    {
        definition.Validate();
        return new(ProgramId, Version + 1, definition, at, by);
    }

    public AssessmentOutcome Assess(decimal score)
    {
        if (score is < 0 or > 100) throw ValidationFailedException.For("score", "A score is a number from 0 to 100.");
        if (!IssuesCredentials) return AssessmentOutcome.Recorded;
        return score >= Definition.PassThreshold ? AssessmentOutcome.Passed : AssessmentOutcome.Failed;
    }
}

/// <summary>What an assessment result means under a program.</summary>
public enum AssessmentOutcome
{
    Passed,
    Failed,
    /// <summary>A practice or benchmark result: kept, never credential-bearing.</summary>
    Recorded,
}
