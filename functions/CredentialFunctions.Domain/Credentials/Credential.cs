using System.Globalization;
using System.Text.Json.Serialization;
using CredentialFunctions.Domain.Audit;
using CredentialFunctions.Domain.Events;
using CredentialFunctions.Domain.Programs;
using CredentialFunctions.Domain.Renewal;
using CredentialFunctions.Domain.StatusLists;

namespace CredentialFunctions.Domain.Credentials;

/// <summary>The holder as the credential names them: the full legal name, and the ids other systems know them by.</summary>
public sealed record LearnerIdentity(string LearnerId, string LegalName, string Email, string? LmsId, string? HrId)
{
    /// <summary>The longest full legal name taken, from the LMS or in a correction.</summary>
    public const int MaxLegalNameLength = 300;
}

/// <summary>The program version a credential was issued under, with the names printed on it.</summary>
public sealed record ProgramReference(string ProgramId, int Version, string Name, CredentialKind Kind, string IssuingOrganization, string? Brand);

/// <summary>Where the holder sits, for compliance reports (team, cohort, job site).</summary>
public sealed record Placement(string? Team, string? Cohort, string? JobSite)
{
    public static readonly Placement None = new(null, null, null);
}

/// <summary>The result the credential rests on.</summary>
public sealed record Completion(DateTimeOffset CompletedAt, decimal Score)
{
    /// <summary>The earliest completion date taken: older is surely a wrong field or a placeholder date of the sending system.</summary>
    public static readonly DateTimeOffset Earliest = new(1990, 1, 1, 0, 0, 0, TimeSpan.Zero);
}

/// <summary>One re-issuance: when, by which pathway, and how the expiry moved.</summary>
public sealed record RenewalRecord(DateTimeOffset At, RenewalPathway Pathway, DateTimeOffset? PreviousExpiry, DateTimeOffset? NewExpiry, string By);

/// <summary>A grace period a program manager lengthened, and why.</summary>
public sealed record GraceExtension(DateTimeOffset At, DateTimeOffset GraceEndsAt, string By, string Reason);

/// <summary>What the record says happened last; the status at an instant is derived from it and the schedule.</summary>
public enum CredentialState { Active, InGrace, Lapsed, Revoked, Superseded }

/// <summary>What verification tells the world at an instant (spec C6).</summary>
public enum CredentialStatus { Active, InRenewalWindow, InGrace, Lapsed, Revoked, Superseded, Suspended }

/// <summary>A state change: the credential as it is now, and the audit entry that says why.</summary>
public sealed record CredentialChange(Credential Credential, AuditEntry Entry)
{
    /// <summary>
    /// The change with the event that tells other systems of it in the credential's outbox, so the
    /// one ETag-guarded write of the change is the write of its event too.
    /// </summary>
    internal CredentialChange Announced(string eventType)
        => this with { Credential = Credential with { Outbox = Credential.Outbox.Add(CredentialEvents.Of(eventType, Credential, Entry).ToOutboxEntry()) } };
}

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
    IReadOnlyList<AuditEntry> AuditTrail) : IOwesMessages<Credential>
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
    public CreditLedger CreditLog { get; init; } = CreditLedger.Empty;

    /// <summary>On hold while set (spec C5, C6): not valid at verification, reversible. Not a constructor parameter, so records written before it existed still read.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Suspension? Suspension { get; init; }

    /// <summary>Where revocation and suspension are published; null until assigned (at issue, or at first need for records issued before the lists).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public StatusListEntries? StatusLists { get; init; }

    /// <summary>
    /// The seal on the audit chain's head, made by the store with a key the database does not hold
    /// as it writes the record. Not a constructor parameter, so records written before anchors
    /// existed still read; they verify as "cannot be verified" until their next write seals them.
    /// </summary>
    public AuditAnchor? Anchor { get; init; }

    /// <summary>Set on a credential brought over from earlier records: which file, which row, who imported it and when.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ImportOrigin? ImportedFrom { get; init; }

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
        }).Announced(EventTypes.CredentialIssued);
    }

    /// <summary>
    /// A credential issued before this system, as the previous records hold it: its original dates,
    /// score, credits and renewals kept, its state what the clock says at the import (in grace or lapsed
    /// since the instant the schedule says, not since the import). The audit trail opens with the import
    /// (who, from which file), not with an issue: no issuance notice is owed for news years old, and
    /// the renewal window owes only what falls due after the import (see <see cref="RenewalWindow"/>).
    /// Announced as issued, so a subscriber learns of the credential as of any other.
    /// </summary>
    public static CredentialChange Import(CertificateId id, LearnerIdentity holder, CertificationProgram program, ImportedRecord record, Placement placement, ImportOrigin origin)
    {
        if (program.Assess(record.Completion.Score) != AssessmentOutcome.Passed)
            throw new InvalidTransitionException($"A score of {record.Completion.Score} does not pass program '{program.ProgramId}' (threshold {program.Definition.PassThreshold}).");
        if (record.ExpiresAt is { } expiry && expiry <= record.IssuedAt)
            throw ValidationFailedException.For("expiresAt", "The expiry date must be after the issue date.");
        var d = program.Definition;
        var renewals = record.Renewals.OrderBy(r => r.At)
            .Select(r => new RenewalRecord(r.At, r.Pathway, null, null, $"imported from {origin.FileName}"))
            .ToList();
        var schedule = record.ExpiresAt is { } e ? RenewalSchedule.For(e, d.Renewal) : null;
        var (state, changedAt, reason) = schedule switch
        {
            { } s when origin.At >= s.GraceEndsAt => (CredentialState.Lapsed, s.GraceEndsAt, "Grace period ended without renewal."),
            { } s when origin.At >= s.ExpiresAt => (CredentialState.InGrace, s.ExpiresAt, (string?)null),
            _ => (CredentialState.Active, renewals.Count > 0 ? renewals[^1].At : record.IssuedAt, (string?)null),
        };
        var credential = new Credential(
            id.Value, holder,
            new ProgramReference(program.ProgramId, program.Version, d.Name, d.Kind, d.IssuingOrganization, d.Brand),
            d.Renewal, record.Completion, d.PassThreshold, record.IssuedAt, record.ExpiresAt, renewals.Count + 1,
            record.Credits.Count > 0 ? record.Credits : d.CreditsAwarded, renewals, [], d.ContentVersion, d.RegulatoryModule, placement,
            state, changedAt, reason, null, []) { ImportedFrom = origin };
        return credential.Record(origin.At, origin.By, AuditAction.Imported, $"Imported from {origin.FileName}.", new Dictionary<string, string>
        {
            ["fileName"] = origin.FileName,
            ["fileSha256"] = origin.FileSha256,
            ["line"] = origin.Line.ToString(CultureInfo.InvariantCulture),
            ["programVersion"] = program.Version.ToString(CultureInfo.InvariantCulture),
            ["score"] = record.Completion.Score.ToString(CultureInfo.InvariantCulture),
            ["state"] = state.ToString(),
        }).Announced(EventTypes.CredentialIssued);
    }

    // Read some thirty times in issuing one credential (status, tallies, search fields, the renewal window's steps).
    private readonly ScheduleMemo _schedule = new();

    public RenewalSchedule? Schedule => ExpiresAt is { } expiry
        ? _schedule.For(expiry, Terms, GraceExtensions.Count == 0 ? null : GraceExtensions[^1].GraceEndsAt)
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
        }
        // A suspension overrides the clock, and lifting it gives back whatever the clock says then.
        if (Suspension is not null) return CredentialStatus.Suspended;
        if (State == CredentialState.Lapsed) return CredentialStatus.Lapsed;
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
            .Record(at, SystemActor, AuditAction.Lapsed, "Grace period ended without renewal.", null).Announced(EventTypes.CredentialLapsed);
    }

    public CredentialChange ExtendGrace(DateTimeOffset graceEndsAt, DateTimeOffset at, string actor, string reason)
    {
        reason = RequireReason(reason);
        if (State is not (CredentialState.Active or CredentialState.InGrace) || Schedule is not { } s)
            throw new InvalidTransitionException($"Only an active or in-grace credential that expires can have its grace extended; {CertificateId} is {State}.");
        if (graceEndsAt <= s.GraceEndsAt)
            throw ValidationFailedException.For("graceEndsAt", $"The new grace end must be later than the current one ({s.GraceEndsAt:O}).");
        if (graceEndsAt > Terms.LatestGraceEnd(s.ExpiresAt))
            throw ValidationFailedException.For("graceEndsAt", $"Program '{Program.ProgramId}' allows grace to be extended to {Terms.LatestGraceEnd(s.ExpiresAt):O} at the latest.");
        return (this with { GraceExtensions = [.. GraceExtensions, new GraceExtension(at, graceEndsAt, actor, reason)] })
            .Record(at, actor, AuditAction.GraceExtended, reason, new Dictionary<string, string> { ["graceEndsAt"] = graceEndsAt.ToString("O") });
    }

    /// <summary>When the current validity began: the completion for the first cycle, then the previous expiry for an early renewal or the renewal date.</summary>
    public DateTimeOffset CycleStartedAt => ExpiresAt is { } expiry && Terms.Validity is { } validity ? validity.SubtractFrom(expiry) : Completion.CompletedAt;

    /// <summary>This cycle's credits: counted toward renewal, waiting for review, and entries.</summary>
    public CycleCredits CreditsThisCycle => CreditLog.ThisCycle(CycleStartedAt);

    /// <returns>Null when a credit with the same reference is already logged.</returns>
    public CredentialChange? LogCredit(DateTimeOffset earnedAt, decimal amount, string category, string activity, string? reference, CreditSource source, DateTimeOffset at, string actor)
    {
        if (HasEnded)
            throw new InvalidTransitionException($"Credential {CertificateId} is {State}: credits can no longer be logged against it.");
        if (CreditLog.Log(earnedAt, amount, category, activity, reference, source, Terms, CycleStartedAt, at, actor) is not var (ledger, credit)) return null;
        // The entry names the credit; its texts are in the ledger, under the same digest, not written twice.
        return (this with { CreditLog = ledger }).Record(at, actor, AuditAction.CreditsLogged, null, CreditLedger.Describe(credit));
    }

    public CredentialChange ApproveCredit(int number, DateTimeOffset at, string actor)
    {
        var (ledger, credit) = CreditLog.Decide(CertificateId, number, approve: true, at, actor, null);
        return (this with { CreditLog = ledger }).Record(at, actor, AuditAction.CreditApproved, null, CreditLedger.Describe(credit));
    }

    public CredentialChange RejectCredit(int number, DateTimeOffset at, string actor, string reason)
    {
        var (ledger, credit) = CreditLog.Decide(CertificateId, number, approve: false, at, actor, reason);
        return (this with { CreditLog = ledger }).Record(at, actor, AuditAction.CreditRejected, credit.Review!.Reason, CreditLedger.Describe(credit));
    }

    /// <summary>
    /// The one rule of renewal by credits: from when the record may renew by them (the window's
    /// opening; in grace and after lapse too), or null while this cycle's counted credits fall short.
    /// </summary>
    public DateTimeOffset? RenewableByCreditsFrom => Schedule is { } s
        && IsRenewableBy(RenewalPathway.ContinuingEducationCredits, s.WindowOpensAt) && CreditLog.MeetRequirement(Terms, CycleStartedAt)
            ? s.WindowOpensAt
            : null;

    public bool IsRenewableByCreditsAt(DateTimeOffset at) => RenewableByCreditsFrom is { } from && at >= from;

    /// <summary>
    /// Revoked or superseded: the credential no longer stands for its program, so it takes no credits
    /// or renewals, its window has nothing to do, and a new pass by its holder issues anew.
    /// Derived from the state, so not stored.
    /// </summary>
    [JsonIgnore]
    public bool HasEnded => State is CredentialState.Revoked or CredentialState.Superseded;

    /// <summary>Whether <see cref="Renew"/> by that pathway would be accepted at that instant (apart from the credit requirement).</summary>
    public bool IsRenewableBy(RenewalPathway pathway, DateTimeOffset at)
        => !HasEnded
            && Schedule is { } schedule && at >= schedule.WindowOpensAt && Terms.Pathways.Contains(pathway);

    /// <summary>
    /// Re-issues in place after a renewal pathway: renewed before expiry, the new validity runs from
    /// the old expiry (early renewers lose nothing); after it, from the renewal date. Renewal opens
    /// with the renewal window, so a pathway completed years early cannot stack validity.
    /// </summary>
    /// <param name="evidence">What proves the pathway (exam score, module, supervisor), kept in the audit entry.</param>
    public CredentialChange Renew(RenewalPathway pathway, DateTimeOffset at, string actor, IReadOnlyDictionary<string, string>? evidence = null)
    {
        if (HasEnded)
            throw new InvalidTransitionException($"Credential {CertificateId} is {State} and cannot be renewed.");
        if (Schedule is not { } schedule)
            throw new InvalidTransitionException($"Credential {CertificateId} does not expire, so there is nothing to renew.");
        if (at < schedule.WindowOpensAt)
            throw new InvalidTransitionException($"Renewal of {CertificateId} opens on {schedule.WindowOpensAt:yyyy-MM-dd} ({Terms.RenewalWindow} before expiry).");
        if (!Terms.Pathways.Contains(pathway))
            throw ValidationFailedException.For("pathway", $"Program '{Program.ProgramId}' does not accept renewal by {pathway}; it accepts {string.Join(", ", Terms.Pathways)}.");
        if (pathway == RenewalPathway.ContinuingEducationCredits && !CreditLog.MeetRequirement(Terms, CycleStartedAt))
            throw ValidationFailedException.For("pathway", Terms.RequiredCeCredits is { } required
                ? $"This cycle's counted credits ({CreditsThisCycle.Counted.ToString(CultureInfo.InvariantCulture)}) do not reach the {required.ToString(CultureInfo.InvariantCulture)} the program requires"
                    + (CreditsThisCycle.PendingReview > 0 ? $"; {CreditsThisCycle.PendingReview.ToString(CultureInfo.InvariantCulture)} more await a program manager's review." : ".")
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
        // The credits that earned it, as they stood: the new cycle counts from zero.
        if (pathway == RenewalPathway.ContinuingEducationCredits) details["creditsThisCycle"] = CreditsThisCycle.Counted.ToString(CultureInfo.InvariantCulture);
        return renewed.Record(at, actor, AuditAction.Renewed, $"Renewed by {pathway}.", details).Announced(EventTypes.CredentialRenewed);
    }

    /// <summary>A program manager restores a lapsed or revoked credential; an expiry already passed restarts from today.</summary>
    public CredentialChange Reinstate(DateTimeOffset at, string actor, string reason)
    {
        reason = RequireReason(reason);
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
        return reinstated.Record(at, actor, AuditAction.Reinstated, reason, new Dictionary<string, string> { ["expiresAt"] = reinstated.ExpiresAt?.ToString("O") ?? "none" })
            .Announced(EventTypes.CredentialReinstated);
    }

    /// <summary>
    /// A correction of the holder's full legal name (a typo, a marriage, a transliteration), the
    /// old and the new name in its audit entry. The certificate id, dates and status stay; the
    /// chain's next entry covers the corrected record, so verification keeps vouching for it.
    /// </summary>
    public CredentialChange CorrectLegalName(string legalName, DateTimeOffset at, string actor, string reason)
    {
        var errors = new ValidationErrors();
        var corrected = PlainText.Required(errors, "legalName", legalName, LearnerIdentity.MaxLegalNameLength);
        reason = PlainText.Required(errors, "reason", reason, 1000);
        errors.ThrowIfAny();
        if (corrected == Holder.LegalName)
            throw new InvalidTransitionException($"Credential {CertificateId} already names its holder {corrected}.");
        return (this with { Holder = Holder with { LegalName = corrected } })
            .Record(at, actor, AuditAction.Corrected, reason, new Dictionary<string, string>
            {
                ["field"] = "legalName",
                ["from"] = Holder.LegalName,
                ["to"] = corrected,
            });
    }

    public CredentialChange Revoke(DateTimeOffset at, string actor, string reason)
    {
        reason = RequireReason(reason);
        if (HasEnded)
            throw new InvalidTransitionException($"Credential {CertificateId} is already {State}.");
        return (this with { State = CredentialState.Revoked, StateChangedAt = at, StateReason = reason })
            .Record(at, actor, AuditAction.Revoked, reason, null).Announced(EventTypes.CredentialRevoked);
    }

    public CredentialChange Supersede(string supersededBy, DateTimeOffset at, string actor, string reason)
    {
        reason = RequireReason(reason);
        if (HasEnded)
            throw new InvalidTransitionException($"Credential {CertificateId} is already {State}.");
        return (this with { State = CredentialState.Superseded, StateChangedAt = at, StateReason = reason, SupersededBy = supersededBy })
            .Record(at, actor, AuditAction.Superseded, reason, new Dictionary<string, string> { ["supersededBy"] = supersededBy });
    }

    /// <summary>
    /// A program manager puts the credential on hold (an inquiry, a missing document): verification
    /// says suspended until the suspension is lifted. The clock runs on meanwhile: the renewal window
    /// keeps its reminders, grace and lapse, because the holder must still renew in time.
    /// </summary>
    public CredentialChange Suspend(DateTimeOffset at, string actor, string reason)
    {
        reason = RequireReason(reason);
        if (HasEnded)
            throw new InvalidTransitionException($"Credential {CertificateId} is {State}: there is nothing to suspend.");
        if (Suspension is not null)
            throw new InvalidTransitionException($"Credential {CertificateId} is already suspended (since {Suspension.At:O}).");
        return (this with { Suspension = new Suspension(at, actor, reason) }).Record(at, actor, AuditAction.Suspended, reason, null);
    }

    /// <summary>Lifts a suspension: the status is again what the record and the clock give, as if it had never been suspended.</summary>
    public CredentialChange LiftSuspension(DateTimeOffset at, string actor, string reason)
    {
        reason = RequireReason(reason);
        if (Suspension is not { } suspension)
            throw new InvalidTransitionException($"Credential {CertificateId} is not suspended.");
        return (this with { Suspension = null }).Record(at, actor, AuditAction.SuspensionLifted, reason,
            new Dictionary<string, string> { ["suspendedAt"] = suspension.At.ToString("O") });
    }

    /// <summary>The bit a status list of that purpose should hold for this credential: set when revoked, or while suspended.</summary>
    public bool StatusBit(StatusPurpose purpose) => purpose == StatusPurpose.Revocation ? State == CredentialState.Revoked : Suspension is not null;

    /// <summary>
    /// Whether a status list does not yet say what the record says: the write to the list comes after
    /// the record's, so a crash between them leaves this set until a sync or the sweep catches up.
    /// </summary>
    [JsonIgnore]
    public bool StatusListsBehind => StatusLists is { } lists
        ? lists.All.Any(e => e.Published != StatusBit(e.Purpose))
        : StatusBit(StatusPurpose.Revocation) || StatusBit(StatusPurpose.Suspension);

    /// <summary>Assigns or updates where the record's status is published: operational, so no audit entry.</summary>
    public Credential WithStatusLists(StatusListEntries entries) => this with { StatusLists = entries };

    /// <summary>The learner left the employer: no more reminders for this credential, its history kept.</summary>
    public CredentialChange EndTracking(DateTimeOffset at, string actor, string reason)
    {
        reason = RequireReason(reason);
        if (TrackingEndedAt is not null)
            throw new InvalidTransitionException($"Credential {CertificateId} is already no longer tracked.");
        return (this with { TrackingEndedAt = at }).Record(at, actor, AuditAction.TrackingEnded, reason, null).Announced(EventTypes.CredentialTrackingEnded);
    }

    /// <summary>
    /// The holder moved (a new team or job site, from HR): reports count the credential where the
    /// holder is now, and the audit entry keeps where they were. Null when it already says so.
    /// </summary>
    public CredentialChange? ChangePlacement(Placement placement, DateTimeOffset at, string actor, string reason)
    {
        reason = RequireReason(reason);
        if (placement == Placement) return null;
        // A field that is not set is left out of the details rather than written as a word that could be a name.
        var details = new (string Key, string? Value)[]
            {
                ("fromTeam", Placement.Team), ("toTeam", placement.Team), ("fromCohort", Placement.Cohort), ("toCohort", placement.Cohort),
                ("fromJobSite", Placement.JobSite), ("toJobSite", placement.JobSite),
            }
            .Where(d => d.Value is not null).ToDictionary(d => d.Key, d => d.Value!);
        return (this with { Placement = placement }).Record(at, actor, AuditAction.PlacementChanged, reason, details);
    }

    /// <summary>Claims a message for one sender (see <see cref="Credentials.Outbox.Claim"/>); null when there is nothing to claim.</summary>
    public Credential? ClaimOutboxEntry(OutboxEntry entry, string claimant, DateTimeOffset at, TimeSpan lease)
        => Outbox.Claim(entry, claimant, at, lease) is { } claimed ? WithOutbox(claimed) : null;

    public Credential WithOutbox(Outbox outbox) => this with { Outbox = outbox };

    /// <summary>An email sent is audited (the learner was told); an integration event published is operational, like its claim.</summary>
    Credential IOwesMessages<Credential>.OutboxEntrySent(string key, string providerMessageId, DateTimeOffset at)
        => Outbox.Find(key) is { Channel: OutboxChannel.Email }
            ? RecordOutboxSent(key, providerMessageId, at).Credential
            : WithOutbox(Outbox.RecordSent(key, providerMessageId));

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
        => WithOutbox(Outbox.RecordFailed(key, failure, permanently));

    public AuditVerification VerifyAuditTrail() => Audit.AuditTrail.Verify(AuditTrail, CertificateId, RecordDigest.Of(this));

    private CredentialChange Record(DateTimeOffset at, string actor, AuditAction action, string? reason, IReadOnlyDictionary<string, string>? details)
    {
        var entry = Audit.AuditTrail.Next(AuditTrail, CertificateId, at, actor, action, reason, details, RecordDigest.Of(this));
        // The new entry moves the chain's head, so the anchor read with the record seals nothing any more.
        return new CredentialChange(this with { AuditTrail = [.. AuditTrail, entry], Anchor = null }, entry);
    }

    /// <summary>The audit trail records why: a reason is required, and comes back normalised.</summary>
    private static string RequireReason(string reason)
    {
        var errors = new ValidationErrors();
        var normalised = PlainText.Required(errors, "reason", reason, 1000);
        errors.ThrowIfAny();
        return normalised;
    }
}
