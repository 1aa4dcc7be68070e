using CredentialFunctions.Domain.Payments;
using CredentialFunctions.Domain.Retention;

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

/// <summary>Where the learner acts on a renewal pathway: the LMS course of a retake or refresher, the credit submission form, the supervisor's sign-off request.</summary>
public sealed record RenewalPathwayLink(RenewalPathway Pathway, string Url)
{
    public const int MaxUrlLength = 2000;
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
    public static readonly IsoDuration DefaultMaxGraceExtension = IsoDuration.FromDays(180);

    // Bounds that keep every instant a schedule computes (expiry, grace end, follow-up, and their
    // renewals) centuries inside what a date can hold, and reject what is surely a typo (P500Y).
    public static readonly IsoDuration LongestValidity = new(50, 0, 0, TimeSpan.Zero);
    public static readonly IsoDuration LongestPeriod = new(5, 0, 0, TimeSpan.Zero);
    public const int MostReminders = 12;

    /// <summary>
    /// How far a program manager may extend grace beyond its normal end (expiry + grace period).
    /// Null on records written before the limit existed: <see cref="DefaultMaxGraceExtension"/> applies.
    /// </summary>
    public IsoDuration? MaxGraceExtension { get; init; }

    /// <summary>
    /// Where the learner acts on each pathway, linked from the reminders and the renewal page; a
    /// pathway without one says to contact the issuer. Not a constructor parameter, so terms copied
    /// onto credentials before it existed still read (as none).
    /// </summary>
    public IReadOnlyList<RenewalPathwayLink> PathwayLinks { get; init; } = [];

    /// <summary>The address where the learner acts on a pathway, or null when the program gives none.</summary>
    public Uri? LinkFor(RenewalPathway pathway) => PathwayLinks.FirstOrDefault(l => l.Pathway == pathway) is { } link ? new Uri(link.Url) : null;

    /// <summary>The latest grace end an extension may set for a cycle that expires then.</summary>
    public DateTimeOffset LatestGraceEnd(DateTimeOffset expiresAt) => (MaxGraceExtension ?? DefaultMaxGraceExtension).AddTo(GracePeriod.AddTo(expiresAt));
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
    /// <summary>The certificate's layout, colours and logo; null is <see cref="Programs.CertificateTemplate.Default"/>. Not a constructor parameter, so programs stored before it existed still read.</summary>
    public CertificateTemplate? CertificateTemplate { get; init; }

    // Not constructor parameters, so definitions stored before applications existed still read (no pathways, no fee, the default retake policy).
    public IReadOnlyList<EligibilityPathway> EligibilityPathways { get; init; } = [];

    /// <summary>What an approved application pays before the candidate may sit; null when there is no fee.</summary>
    public Money? Fee { get; init; }

    public RetakePolicy Retake { get; init; } = RetakePolicy.Default;

    /// <summary>How long the program's records are kept, and whether they are then anonymised or deleted; null keeps them. Not a constructor parameter, so programs stored before it existed still read (as kept).</summary>
    public RetentionPolicy? Retention { get; init; }

    /// <summary>The xAPI activity IRIs whose passing statements complete the program (<see cref="XapiActivities"/>); each belongs to one program at a time. Not a constructor parameter, so programs stored before it existed still read (none).</summary>
    public IReadOnlyList<string> XapiActivities { get; init; } = [];

    /// <summary>
    /// The program managers (their sign-in subjects, Entra object ids) who review its applications;
    /// none: every program manager does. Not a constructor parameter, so programs stored before it existed still read (none).
    /// </summary>
    public IReadOnlyList<string> Managers { get; init; } = [];

    public const int MaxManagers = 50;

    /// <summary>Whether a program manager with this subject reviews the program's applications.</summary>
    public bool IsManagedBy(string? subject) => Managers.Count == 0 || (subject is not null && Managers.Contains(subject, StringComparer.Ordinal));

    public EligibilityPathway? Pathway(string pathwayId) => EligibilityPathways.FirstOrDefault(p => p.PathwayId == pathwayId);

    /// <summary>Every broken rule at once, so the caller can fix the whole request in one go; the definition with its text normalised.</summary>
    public ProgramDefinition Validated()
    {
        var errors = new ValidationErrors();
        var name = PlainText.Required(errors, "name", Name, 200);
        if (!Enum.IsDefined(Kind)) errors.Add("kind", "Unknown credential kind.");
        var issuer = PlainText.Required(errors, "issuingOrganization", IssuingOrganization, 200);
        var brand = PlainText.Optional(errors, "brand", Brand, 200);
        var contentVersion = PlainText.Optional(errors, "contentVersion", ContentVersion, 100);
        var regulatoryModule = PlainText.Optional(errors, "regulatoryModule", RegulatoryModule, 200);
        if (PassThreshold is < 0 or > 100) errors.Add("passThreshold", "The pass threshold is a score from 0 to 100.");
        ValidateRenewal(errors, Renewal);
        var credits = new List<CeuCredit>(CreditsAwarded.Count);
        for (var i = 0; i < CreditsAwarded.Count; i++)
        {
            if (CreditsAwarded[i].Amount is <= 0 or > 1000) errors.Add($"creditsAwarded[{i}].amount", "Credits awarded are greater than zero, at most 1000.");
            credits.Add(CreditsAwarded[i] with { Category = PlainText.Required(errors, $"creditsAwarded[{i}].category", CreditsAwarded[i].Category, 100) });
        }
        if (CreditsAwarded.Count > 20) errors.Add("creditsAwarded", "At most 20 credit awards.");
        var template = CertificateTemplate?.Validated(errors, "certificateTemplate");
        var pathways = ApplicationRules.ValidatePathways(errors, EligibilityPathways ?? []);
        ApplicationRules.ValidateFee(errors, Fee);
        ApplicationRules.ValidateRetake(errors, Retake ?? RetakePolicy.Default);
        RetentionPolicy.Validate(errors, Retention);
        var activities = Programs.XapiActivities.Validated(errors, XapiActivities);
        var managers = (Managers ?? []).Select((m, i) => PlainText.Required(errors, $"managers[{i}]", m, 200)).Distinct(StringComparer.Ordinal).ToList();
        if (managers.Count > MaxManagers) errors.Add("managers", $"At most {MaxManagers} program managers.");
        errors.ThrowIfAny();
        return this with
        {
            Name = name, IssuingOrganization = issuer, Brand = brand, ContentVersion = contentVersion, RegulatoryModule = regulatoryModule, CreditsAwarded = credits,
            CertificateTemplate = template, EligibilityPathways = pathways, Retake = Retake ?? RetakePolicy.Default,
            XapiActivities = activities, Managers = managers,
        };
    }

    private static void ValidateRenewal(ValidationErrors errors, RenewalTerms r)
    {
        if (r.Validity is { IsZero: true }) errors.Add("renewal.validity", "A validity must be longer than zero; leave it out for a credential that never expires.");
        if (r.Validity is { } v && v.IsLongerThan(RenewalTerms.LongestValidity)) errors.Add("renewal.validity", $"A validity is at most {RenewalTerms.LongestValidity}.");
        if (r.ReminderOffsets.Any(o => o.IsZero)) errors.Add("renewal.reminderOffsets", "Each reminder offset must be longer than zero.");
        if (r.ReminderOffsets.Distinct().Count() != r.ReminderOffsets.Count) errors.Add("renewal.reminderOffsets", "Reminder offsets must be distinct.");
        if (r.ReminderOffsets.Count > RenewalTerms.MostReminders) errors.Add("renewal.reminderOffsets", $"At most {RenewalTerms.MostReminders} reminders.");
        if (r.ReminderOffsets.Any(o => o.IsLongerThan(RenewalTerms.LongestPeriod))) errors.Add("renewal.reminderOffsets", $"Each reminder offset is at most {RenewalTerms.LongestPeriod}.");
        foreach (var (field, period) in new (string, IsoDuration?)[] {
                     ("renewal.renewalWindow", r.RenewalWindow), ("renewal.gracePeriod", r.GracePeriod), ("renewal.lapseFollowUp", r.LapseFollowUp), ("renewal.maxGraceExtension", r.MaxGraceExtension) })
            if (period is { } p && p.IsLongerThan(RenewalTerms.LongestPeriod)) errors.Add(field, $"At most {RenewalTerms.LongestPeriod}.");
        if (r.Validity is { } validity)
        {
            var expiry = validity.AddTo(IsoDuration.Probe);
            if (r.ReminderOffsets.Any(o => o.SubtractFrom(expiry) < IsoDuration.Probe)) errors.Add("renewal.reminderOffsets", "A reminder offset cannot be longer than the validity.");
            if (r.RenewalWindow.SubtractFrom(expiry) < IsoDuration.Probe) errors.Add("renewal.renewalWindow", "The renewal window cannot be longer than the validity.");
        }
        if (r.Pathways.Any(p => !Enum.IsDefined(p))) errors.Add("renewal.pathways", "Unknown renewal pathway.");
        if (r.Pathways.Contains(RenewalPathway.ContinuingEducationCredits) && r.RequiredCeCredits is not > 0)
            errors.Add("renewal.requiredCeCredits", "The continuing-education pathway needs the number of credits required, greater than zero.");
        if (r.RequiredCeCredits is < 0 or > 10_000) errors.Add("renewal.requiredCeCredits", "Required credits are from 0 to 10,000.");
        if (!Enum.IsDefined(r.CreditAttestation)) errors.Add("renewal.creditAttestation", "Credits are either selfAttested or reviewRequired.");
        for (var i = 0; i < r.PathwayLinks.Count; i++)
        {
            var link = r.PathwayLinks[i];
            if (!r.Pathways.Contains(link.Pathway)) errors.Add($"renewal.pathwayLinks[{i}].pathway", "A link is for one of the program's renewal pathways.");
            else if (r.PathwayLinks.Take(i).Any(l => l.Pathway == link.Pathway)) errors.Add($"renewal.pathwayLinks[{i}].pathway", "One link per pathway.");
            // Emails and pages put it in front of learners: only an absolute https address, never a script or a relative path.
            if (link.Url is not { Length: > 0 and <= RenewalPathwayLink.MaxUrlLength } || !Uri.TryCreate(link.Url, UriKind.Absolute, out var url)
                || url.Scheme != Uri.UriSchemeHttps || !string.IsNullOrEmpty(url.UserInfo))
                errors.Add($"renewal.pathwayLinks[{i}].url", $"An absolute https address without credentials, at most {RenewalPathwayLink.MaxUrlLength} characters.");
        }
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
        return new(programId, 1, definition.Validated(), at, by);
    }

    public CertificationProgram Revise(ProgramDefinition definition, DateTimeOffset at, string by)
        => new(ProgramId, Version + 1, definition.Validated(), at, by);

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
