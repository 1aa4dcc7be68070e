using System.Globalization;
using System.Text.Json.Serialization;
using CredentialFunctions.Domain.Audit;
using CredentialFunctions.Domain.Programs;
using CredentialFunctions.Domain.Renewal;

namespace CredentialFunctions.Domain.Credentials;

/// <summary>The holder as the credential names them: the full legal name, and the ids other systems know them by.</summary>
public sealed record LearnerIdentity(string LearnerId, string LegalName, string Email, string? LmsId, string? HrId);

/// <summary>The program version a credential was issued under, with the names printed on it.</summary>
public sealed record ProgramReference(string ProgramId, int Version, string Name, CredentialKind Kind, string IssuingOrganization, string? Brand);

/// <summary>Where the holder sits, for compliance reports (team, cohort, job site).</summary>
public sealed record Placement(string? Team, string? Cohort, string? JobSite)
{
    public static readonly Placement None = new(null, null, null);
}

/// <summary>The result the credential rests on.</summary>
public sealed record Completion(DateTimeOffset CompletedAt, decimal Score);

/// <summary>One re-issuance: when, by which pathway, and how the expiry moved.</summary>
public sealed record RenewalRecord(DateTimeOffset At, RenewalPathway Pathway, DateTimeOffset? PreviousExpiry, DateTimeOffset? NewExpiry, string By);

/// <summary>A grace period a program manager lengthened, and why.</summary>
public sealed record GraceExtension(DateTimeOffset At, DateTimeOffset GraceEndsAt, string By, string Reason);

/// <summary>What the record says happened last; the status at an instant is derived from it and the schedule.</summary>
/// <summary>
/// CE/CPD credits the holder earned after certification (a course, a conference), logged by the
/// learner, a program manager or an LMS toward a renewal by the credits pathway.
/// </summary>
/// <param name="Reference">The source's own id for the activity (an LMS event id, a certificate number): logging it twice counts it once.</param>
public sealed record LoggedCredit(DateTimeOffset EarnedAt, decimal Amount, string Category, string Activity, string? Reference, DateTimeOffset LoggedAt, string LoggedBy);

public enum CredentialState { Active, InGrace, Lapsed, Revoked, Superseded }

/// <summary>What verification tells the world at an instant (spec C6).</summary>
public enum CredentialStatus { Active, InRenewalWindow, InGrace, Lapsed, Revoked, Superseded }

/// <summary>A state change: the credential as it is now, and the audit entry that says why.</summary>
public sealed record CredentialChange(Credential Credential, AuditEntry Entry);

/// <summary>
/// A credential with the eight fields of the buyer's guide (legal name, completion date, score and
/// threshold, certificate id, expiry, CEU/CPD credits, renewal history, issuer and program) and the
/// regulated-industry extras. Immutable: every change is a method that returns the next credential
/// and its audit entry, which the caller writes in one ETag-guarded write.
/// </summary>
public sealed record Credential(
    string CertificateId,
    LearnerIdentity Holder,
    ProgramReference Program,
    RenewalTerms Terms,
    Completion Completion,
    decimal PassThreshold,
    DateTimeOffset IssuedAt,
    DateTimeOffset? ExpiresAt,
    int Cycle,
    IReadOnlyList<CeuCredit> CreditsEarned,
    IReadOnlyList<RenewalRecord> RenewalHistory,
    IReadOnlyList<GraceExtension> GraceExtensions,
    string? ContentVersion,
    string? RegulatoryModule,
    Placement Placement,
    CredentialState State,
    DateTimeOffset StateChangedAt,
    string? StateReason,
    string? SupersededBy,
    IReadOnlyList<AuditEntry> AuditTrail)
{
    public const string SystemActor = "system";

    /// <summary>Messages the credential owes (the renewal lifecycle's emails), by key. Not a constructor parameter, so records written before it existed still read.</summary>
    public Outbox Outbox { get; init; } = Outbox.Empty;

    /// <summary>Records written before the outbox kept their email claims as "deliveries": read into the outbox, never written.</summary>
    [JsonInclude, JsonPropertyName("deliveries"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    private IReadOnlyList<LegacyDelivery>? Deliveries
    {
        get => null;
        init => Outbox = new Outbox([.. Outbox.Entries, .. (value ?? []).Select(d => d.ToOutboxEntry())]);
    }

    /// <summary>When the learner left the employer: the record is kept, its renewal window ends (spec C13).</summary>
    public DateTimeOffset? TrackingEndedAt { get; init; }

    /// <summary>CE/CPD credits logged toward renewal. Not a constructor parameter, so records written before it existed still read.</summary>
    public IReadOnlyList<LoggedCredit> CreditLog { get; init; } = [];

    public static CredentialChange Issue(
        CertificateId id, LearnerIdentity holder, CertificationProgram program, Completion completion,
        Placement placement, DateTimeOffset at, string actor, string? reason = null)
    {
        if (program.Assess(completion.Score) != AssessmentOutcome.Passed)
            throw new InvalidTransitionException($"A score of {completion.Score} does not pass program '{program.ProgramId}' (threshold {program.Definition.PassThreshold}).");
        var d = program.Definition;
        var credential = new Credential(
            id.Value, holder,
            new ProgramReference(program.ProgramId, program.Version, d.Name, d.Kind, d.IssuingOrganization, d.Brand),
            d.Renewal, completion, d.PassThreshold, at,
            d.Renewal.Validity?.AddTo(completion.CompletedAt), 1,
            d.CreditsAwarded, [], [], d.ContentVersion, d.RegulatoryModule, placement,
            CredentialState.Active, at, null, null, []);
        return credential.Record(at, actor, AuditAction.Issued, reason, new Dictionary<string, string>
        {
            ["programVersion"] = program.Version.ToString(CultureInfo.InvariantCulture),
            ["score"] = completion.Score.ToString(CultureInfo.InvariantCulture),
        });
    }

    public RenewalSchedule? Schedule => ExpiresAt is { } expiry
        ? RenewalSchedule.For(expiry, Terms, GraceExtensions.Count == 0 ? null : GraceExtensions[^1].GraceEndsAt)
        : null;

    /// <summary>
    /// The status at an instant, from the recorded state and the schedule: correct even when the
    /// orchestration that records grace and lapse is late.
    /// </summary>
    public CredentialStatus StatusAt(DateTimeOffset at)
    {
        switch (State)
        {
            case CredentialState.Revoked: return CredentialStatus.Revoked;
            case CredentialState.Superseded: return CredentialStatus.Superseded;
            case CredentialState.Lapsed: return CredentialStatus.Lapsed;
        }
        if (Schedule is not { } s) return CredentialStatus.Active;
        if (at < s.WindowOpensAt) return CredentialStatus.Active;
        if (at < s.ExpiresAt) return CredentialStatus.InRenewalWindow;
        if (at < s.GraceEndsAt) return CredentialStatus.InGrace;
        return CredentialStatus.Lapsed;
    }

    public CredentialChange EnterGrace(DateTimeOffset at)
    {
        if (State != CredentialState.Active || Schedule is not { } s || at < s.ExpiresAt)
            throw new InvalidTransitionException($"Credential {CertificateId} cannot enter grace: it is {State} and expires {ExpiresAt:O}.");
        return (this with { State = CredentialState.InGrace, StateChangedAt = at, StateReason = null })
            .Record(at, SystemActor, AuditAction.EnteredGrace, "Expired without renewal.", new Dictionary<string, string> { ["graceEndsAt"] = s.GraceEndsAt.ToString("O") });
    }

    public CredentialChange Lapse(DateTimeOffset at)
    {
        if (State is not (CredentialState.Active or CredentialState.InGrace) || Schedule is not { } s || at < s.GraceEndsAt)
            throw new InvalidTransitionException($"Credential {CertificateId} cannot lapse before its grace period ends.");
        return (this with { State = CredentialState.Lapsed, StateChangedAt = at, StateReason = "Grace period ended without renewal." })
            .Record(at, SystemActor, AuditAction.Lapsed, "Grace period ended without renewal.", null);
    }

    public CredentialChange ExtendGrace(DateTimeOffset graceEndsAt, DateTimeOffset at, string actor, string reason)
    {
        RequireReason(reason);
        if (State is not (CredentialState.Active or CredentialState.InGrace) || Schedule is not { } s)
            throw new InvalidTransitionException($"Only an active or in-grace credential that expires can have its grace extended; {CertificateId} is {State}.");
        if (graceEndsAt <= s.GraceEndsAt)
            throw ValidationFailedException.For("graceEndsAt", $"The new grace end must be later than the current one ({s.GraceEndsAt:O}).");
        return (this with { GraceExtensions = [.. GraceExtensions, new GraceExtension(at, graceEndsAt, actor, reason)] })
            .Record(at, actor, AuditAction.GraceExtended, reason, new Dictionary<string, string> { ["graceEndsAt"] = graceEndsAt.ToString("O") });
    }

    /// <summary>When the current validity began: the completion for the first cycle, then the previous expiry for an early renewal or the renewal date.</summary>
    public DateTimeOffset CycleStartedAt => ExpiresAt is { } expiry && Terms.Validity is { } validity ? validity.SubtractFrom(expiry) : Completion.CompletedAt;

    /// <summary>Credits that count toward this cycle's renewal: those earned since it began.</summary>
    public decimal CreditsThisCycle => CreditLog.Where(c => c.EarnedAt >= CycleStartedAt).Sum(c => c.Amount);

    /// <returns>Null when a credit with the same reference is already logged.</returns>
    public CredentialChange? LogCredit(DateTimeOffset earnedAt, decimal amount, string category, string activity, string? reference, DateTimeOffset at, string actor)
    {
        if (State is CredentialState.Revoked or CredentialState.Superseded)
            throw new InvalidTransitionException($"Credential {CertificateId} is {State}: credits can no longer be logged against it.");
        var errors = new ValidationErrors();
        if (amount is <= 0 or > 1000) errors.Add("amount", "Credits are a positive number, at most 1000 per activity.");
        if (string.IsNullOrWhiteSpace(category) || category.Length > 100) errors.Add("category", "The category a regulator counts the credits under, 1 to 100 characters (e.g. CPD, Ethics).");
        if (string.IsNullOrWhiteSpace(activity) || activity.Length > 300) errors.Add("activity", "What was done to earn them, 1 to 300 characters.");
        if (reference is { Length: > 200 }) errors.Add("reference", "At most 200 characters.");
        if (earnedAt > at.AddMinutes(5)) errors.Add("earnedAt", "Credits cannot be earned in the future.");
        else if (earnedAt < Completion.CompletedAt) errors.Add("earnedAt", $"Credits earned before the credential was earned ({Completion.CompletedAt:yyyy-MM-dd}) do not count toward its renewal.");
        errors.ThrowIfAny();
        if (reference is not null && CreditLog.Any(c => c.Reference == reference)) return null;
        var credit = new LoggedCredit(earnedAt, amount, category.Trim(), activity.Trim(), reference, at, actor);
        return (this with { CreditLog = [.. CreditLog, credit] }).Record(at, actor, AuditAction.CreditsLogged, credit.Activity, new Dictionary<string, string>
        {
            ["amount"] = amount.ToString(CultureInfo.InvariantCulture),
            ["category"] = credit.Category,
            ["earnedAt"] = earnedAt.ToString("O"),
        });
    }

    /// <summary>Whether a renewal by credits is earned now: the program accepts it and this cycle's credits reach its requirement.</summary>
    public bool HasEarnedRenewalByCredits => Terms.Pathways.Contains(RenewalPathway.ContinuingEducationCredits)
        && Terms.RequiredCeCredits is { } required && CreditsThisCycle >= required;

    /// <summary>Whether <see cref="Renew"/> by that pathway would be accepted at that instant (apart from the credit requirement).</summary>
    public bool IsRenewableBy(RenewalPathway pathway, DateTimeOffset at)
        => State is not (CredentialState.Revoked or CredentialState.Superseded)
            && Schedule is { } schedule && at >= schedule.WindowOpensAt && Terms.Pathways.Contains(pathway);

    /// <summary>
    /// Re-issues in place after a renewal pathway: renewed before expiry, the new validity runs from
    /// the old expiry (early renewers lose nothing); after it, from the renewal date. Renewal opens
    /// with the renewal window, so a pathway completed years early cannot stack validity.
    /// </summary>
    /// <param name="evidence">What proves the pathway (exam score, module, supervisor), kept in the audit entry.</param>
    public CredentialChange Renew(RenewalPathway pathway, DateTimeOffset at, string actor, IReadOnlyDictionary<string, string>? evidence = null)
    {
        if (State is CredentialState.Revoked or CredentialState.Superseded)
            throw new InvalidTransitionException($"Credential {CertificateId} is {State} and cannot be renewed.");
        if (Schedule is not { } schedule)
            throw new InvalidTransitionException($"Credential {CertificateId} does not expire, so there is nothing to renew.");
        if (at < schedule.WindowOpensAt)
            throw new InvalidTransitionException($"Renewal of {CertificateId} opens on {schedule.WindowOpensAt:yyyy-MM-dd} ({Terms.RenewalWindow} before expiry).");
        if (!Terms.Pathways.Contains(pathway))
            throw ValidationFailedException.For("pathway", $"Program '{Program.ProgramId}' does not accept renewal by {pathway}; it accepts {string.Join(", ", Terms.Pathways)}.");
        if (pathway == RenewalPathway.ContinuingEducationCredits && !HasEarnedRenewalByCredits)
            throw ValidationFailedException.For("pathway", Terms.RequiredCeCredits is { } required
                ? $"This cycle's credits ({CreditsThisCycle.ToString(CultureInfo.InvariantCulture)}) do not reach the {required.ToString(CultureInfo.InvariantCulture)} the program requires."
                : $"Program '{Program.ProgramId}' sets no credit requirement.");
        var anchor = at <= schedule.ExpiresAt ? schedule.ExpiresAt : at;
        var newExpiry = Terms.Validity?.AddTo(anchor);
        var renewed = this with
        {
            ExpiresAt = newExpiry,
            Cycle = Cycle + 1,
            RenewalHistory = [.. RenewalHistory, new RenewalRecord(at, pathway, ExpiresAt, newExpiry, actor)],
            GraceExtensions = [],
            State = CredentialState.Active,
            StateChangedAt = at,
            StateReason = null,
        };
        var details = new Dictionary<string, string>(evidence ?? new Dictionary<string, string>())
        {
            ["pathway"] = pathway.ToString(),
            ["newExpiry"] = newExpiry?.ToString("O") ?? "none",
        };
        return renewed.Record(at, actor, AuditAction.Renewed, $"Renewed by {pathway}.", details);
    }

    /// <summary>A program manager restores a lapsed or revoked credential; an expiry already passed restarts from today.</summary>
    public CredentialChange Reinstate(DateTimeOffset at, string actor, string reason)
    {
        RequireReason(reason);
        if (State is not (CredentialState.Lapsed or CredentialState.Revoked))
            throw new InvalidTransitionException($"Only a lapsed or revoked credential can be reinstated; {CertificateId} is {State}.");
        var restart = ExpiresAt is { } expiry && expiry <= at;
        var reinstated = this with
        {
            ExpiresAt = restart ? Terms.Validity?.AddTo(at) : ExpiresAt,
            Cycle = restart ? Cycle + 1 : Cycle,
            GraceExtensions = restart ? [] : GraceExtensions,
            State = CredentialState.Active,
            StateChangedAt = at,
            StateReason = reason,
        };
        return reinstated.Record(at, actor, AuditAction.Reinstated, reason, new Dictionary<string, string> { ["expiresAt"] = reinstated.ExpiresAt?.ToString("O") ?? "none" });
    }

    public CredentialChange Revoke(DateTimeOffset at, string actor, string reason)
    {
        RequireReason(reason);
        if (State is CredentialState.Revoked or CredentialState.Superseded)
            throw new InvalidTransitionException($"Credential {CertificateId} is already {State}.");
        return (this with { State = CredentialState.Revoked, StateChangedAt = at, StateReason = reason })
            .Record(at, actor, AuditAction.Revoked, reason, null);
    }

    public CredentialChange Supersede(string supersededBy, DateTimeOffset at, string actor, string reason)
    {
        RequireReason(reason);
        if (State is CredentialState.Revoked or CredentialState.Superseded)
            throw new InvalidTransitionException($"Credential {CertificateId} is already {State}.");
        return (this with { State = CredentialState.Superseded, StateChangedAt = at, StateReason = reason, SupersededBy = supersededBy })
            .Record(at, actor, AuditAction.Superseded, reason, new Dictionary<string, string> { ["supersededBy"] = supersededBy });
    }

    /// <summary>The learner left the employer: no more reminders for this credential, its history kept.</summary>
    public CredentialChange EndTracking(DateTimeOffset at, string actor, string reason)
    {
        RequireReason(reason);
        if (TrackingEndedAt is not null)
            throw new InvalidTransitionException($"Credential {CertificateId} is already no longer tracked.");
        return (this with { TrackingEndedAt = at }).Record(at, actor, AuditAction.TrackingEnded, reason, null);
    }

    /// <summary>Claims a message for one sender (see <see cref="Credentials.Outbox.Claim"/>); null when there is nothing to claim.</summary>
    public Credential? ClaimOutboxEntry(OutboxEntry entry, string claimant, DateTimeOffset at, TimeSpan lease)
        => Outbox.Claim(entry, claimant, at, lease) is { } claimed ? this with { Outbox = claimed } : null;

    public CredentialChange RecordOutboxSent(string key, string providerMessageId, DateTimeOffset at)
    {
        var sent = Outbox.RecordSent(key, providerMessageId);
        return (this with { Outbox = sent }).Record(at, SystemActor, AuditAction.ReminderSent, null, new Dictionary<string, string>
        {
            ["deliveryKey"] = key,
            ["kind"] = sent.Find(key)!.Type,
            ["providerMessageId"] = providerMessageId,
        });
    }

    public Credential RecordOutboxFailed(string key, string failure, bool permanently)
        => this with { Outbox = Outbox.RecordFailed(key, failure, permanently) };

    public AuditVerification VerifyAuditTrail() => Audit.AuditTrail.Verify(AuditTrail, CertificateId, RecordDigest());

    /// <summary>
    /// The digest of every field an auditor relies on. Each audit entry carries the digest of the
    /// record after its change, so an edit made behind the chain's back is detected too.
    /// </summary>
    public string RecordDigest()
    {
        var t = new CanonicalText()
            .Add(CertificateId).Add(Holder.LearnerId).Add(Holder.LegalName).Add(Holder.Email).Add(Holder.LmsId).Add(Holder.HrId)
            .Add(Program.ProgramId).Add(Inv(Program.Version)).Add(Program.Name).Add(Program.Kind.ToString()).Add(Program.IssuingOrganization).Add(Program.Brand)
            .Add(Terms.Validity?.ToString()).Add(string.Join(',', Terms.ReminderOffsets)).Add(Terms.RenewalWindow.ToString())
            .Add(Terms.GracePeriod.ToString()).Add(Terms.LapseFollowUp.ToString()).Add(string.Join(',', Terms.Pathways)).Add(Terms.RequiredCeCredits?.ToString(CultureInfo.InvariantCulture))
            .Add(Ticks(Completion.CompletedAt)).Add(Completion.Score.ToString(CultureInfo.InvariantCulture)).Add(PassThreshold.ToString(CultureInfo.InvariantCulture))
            .Add(Ticks(IssuedAt)).Add(ExpiresAt is { } e ? Ticks(e) : null).Add(Inv(Cycle))
            .Add(ContentVersion).Add(RegulatoryModule).Add(Placement.Team).Add(Placement.Cohort).Add(Placement.JobSite)
            .Add(State.ToString()).Add(Ticks(StateChangedAt)).Add(StateReason).Add(SupersededBy);
        // Appended only when set, so the digests of records written before the field existed still match.
        if (TrackingEndedAt is { } ended) t.Add("trackingEndedAt").Add(Ticks(ended));
        foreach (var c in CreditsEarned) t.Add(c.Amount.ToString(CultureInfo.InvariantCulture)).Add(c.Category);
        foreach (var r in RenewalHistory) t.Add(Ticks(r.At)).Add(r.Pathway.ToString()).Add(r.PreviousExpiry is { } p ? Ticks(p) : null).Add(r.NewExpiry is { } n ? Ticks(n) : null).Add(r.By);
        foreach (var g in GraceExtensions) t.Add(Ticks(g.At)).Add(Ticks(g.GraceEndsAt)).Add(g.By).Add(g.Reason);
        foreach (var l in CreditLog) t.Add(Ticks(l.EarnedAt)).Add(l.Amount.ToString(CultureInfo.InvariantCulture)).Add(l.Category).Add(l.Activity).Add(l.Reference).Add(Ticks(l.LoggedAt)).Add(l.LoggedBy);
        return Audit.AuditTrail.Sha256Hex(t.ToString());

        static string Inv(int n) => n.ToString(CultureInfo.InvariantCulture);
        static string Ticks(DateTimeOffset d) => d.UtcTicks.ToString(CultureInfo.InvariantCulture);
    }

    private CredentialChange Record(DateTimeOffset at, string actor, AuditAction action, string? reason, IReadOnlyDictionary<string, string>? details)
    {
        var entry = Audit.AuditTrail.Next(AuditTrail, CertificateId, at, actor, action, reason, details, RecordDigest());
        return new CredentialChange(this with { AuditTrail = [.. AuditTrail, entry] }, entry);
    }

    private static void RequireReason(string reason)
    {
        if (string.IsNullOrWhiteSpace(reason) || reason.Length > 1000)
            throw ValidationFailedException.For("reason", "A reason of 1 to 1000 characters is required: the audit trail records why.");
    }
}
