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
        return renewed.Record(at, actor, AuditAction.Renewed, $"Renewed by {pathway}.", details);
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
        return reinstated.Record(at, actor, AuditAction.Reinstated, reason, new Dictionary<string, string> { ["expiresAt"] = reinstated.ExpiresAt?.ToString("O") ?? "none" });
    }

    public CredentialChange Revoke(DateTimeOffset at, string actor, string reason)
    {
        reason = RequireReason(reason);
        if (HasEnded)
            throw new InvalidTransitionException($"Credential {CertificateId} is already {State}.");
        return (this with { State = CredentialState.Revoked, StateChangedAt = at, StateReason = reason })
            .Record(at, actor, AuditAction.Revoked, reason, null);
    }

    public CredentialChange Supersede(string supersededBy, DateTimeOffset at, string actor, string reason)
    {
        reason = RequireReason(reason);
        if (HasEnded)
            throw new InvalidTransitionException($"Credential {CertificateId} is already {State}.");
        return (this with { State = CredentialState.Superseded, StateChangedAt = at, StateReason = reason, SupersededBy = supersededBy })
            .Record(at, actor, AuditAction.Superseded, reason, new Dictionary<string, string> { ["supersededBy"] = supersededBy });
    }

    /// <summary>The learner left the employer: no more reminders for this credential, its history kept.</summary>
    public CredentialChange EndTracking(DateTimeOffset at, string actor, string reason)
    {
        reason = RequireReason(reason);
        if (TrackingEndedAt is not null)
            throw new InvalidTransitionException($"Credential {CertificateId} is already no longer tracked.");
        return (this with { TrackingEndedAt = at }).Record(at, actor, AuditAction.TrackingEnded, reason, null);
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
        return new CredentialChange(this with { AuditTrail = [.. AuditTrail, entry] }, entry);
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
