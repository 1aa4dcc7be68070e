using System.Collections;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using CredentialFunctions.Domain.Audit;
using CredentialFunctions.Domain.Programs;

namespace CredentialFunctions.Domain.Credentials;

/// <summary>Who logged a credit: the holder's own word waits for review where the program asks for it; staff's counts at once.</summary>
public enum CreditSource { Holder, ProgramStaff }

public enum CreditReviewState { Pending, Approved, Rejected }

/// <summary>A program manager's review of a credit the holder logged: pending until approved or rejected (with a reason).</summary>
public sealed record CreditReview(CreditReviewState State, DateTimeOffset? DecidedAt = null, string? DecidedBy = null, string? Reason = null);

/// <summary>
/// CE/CPD credits the holder earned after certification (a course, a conference), logged by the
/// learner, a program manager or an LMS toward a renewal by the credits pathway.
/// </summary>
/// <param name="Reference">The source's own id for the activity (an LMS event id, a certificate number): logging it twice counts it once.</param>
public sealed record LoggedCredit(DateTimeOffset EarnedAt, decimal Amount, string Category, string Activity, string? Reference, DateTimeOffset LoggedAt, string LoggedBy)
{
    /// <summary>Its place in the ledger, from 1: the credit's id in the review routes.</summary>
    public int Number { get; init; }

    /// <summary>Null when the credit needs no review: logged by staff, under a self-attested program, or before reviews existed.</summary>
    public CreditReview? Review { get; init; }

    [JsonIgnore]
    public bool Counts => Review is null or { State: CreditReviewState.Approved };

    [JsonIgnore]
    public bool IsPending => Review is { State: CreditReviewState.Pending };
}

/// <summary>This cycle's credits: what counts toward renewal, what waits for review, and how many entries the cycle holds.</summary>
public sealed record CycleCredits(decimal Counted, decimal PendingReview, int Entries);

/// <summary>
/// The credit ledger of one credential: part of its document (stored as the <c>creditLog</c> array,
/// so records written before the ledger existed read unchanged) and of its ETag. Bounded, so no
/// learner can grow the document toward the store's 2 MB item limit, after which no write (not even
/// a revocation) would succeed; the test of the caps serializes a credential at every one of them.
/// </summary>
[JsonConverter(typeof(CreditLedgerJsonConverter))]
public sealed class CreditLedger : IReadOnlyList<LoggedCredit>
{
    public const int MaxEntriesPerCycle = 40;
    public const int MaxEntries = 120;
    public const decimal MaxAmount = 1000;
    public const int MaxCategoryLength = 40;
    public const int MaxActivityLength = 150;
    public const int MaxReferenceLength = 64;
    public const int MaxReasonLength = 300;

    public static readonly CreditLedger Empty = new([]);

    private readonly IReadOnlyList<LoggedCredit> _entries;

    private CreditLedger(IReadOnlyList<LoggedCredit> entries) => _entries = entries;

    /// <summary>Entries as stored; those written before credits were numbered get their place as their number.</summary>
    public static CreditLedger Of(IEnumerable<LoggedCredit> entries)
        => new(entries.Select((e, i) => e.Number == 0 ? e with { Number = i + 1 } : e).ToList());

    public int Count => _entries.Count;

    public LoggedCredit this[int index] => _entries[index];

    public IEnumerator<LoggedCredit> GetEnumerator() => _entries.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public LoggedCredit? Find(int number) => number >= 1 && number <= _entries.Count ? _entries[number - 1] : null;

    public LoggedCredit? WithReference(string reference) => _entries.FirstOrDefault(c => c.Reference == reference);

    public CycleCredits ThisCycle(DateTimeOffset cycleStartedAt)
    {
        var cycle = _entries.Where(c => c.EarnedAt >= cycleStartedAt).ToList();
        return new(cycle.Where(c => c.Counts).Sum(c => c.Amount), cycle.Where(c => c.IsPending).Sum(c => c.Amount), cycle.Count);
    }

    /// <summary>The one coding of "enough credits": the program accepts the pathway and this cycle's counted credits reach its requirement.</summary>
    public bool MeetRequirement(RenewalTerms terms, DateTimeOffset cycleStartedAt)
        => terms.Pathways.Contains(RenewalPathway.ContinuingEducationCredits)
            && terms.RequiredCeCredits is { } required && ThisCycle(cycleStartedAt).Counted >= required;

    /// <returns>The ledger with the credit appended, or null when a credit with the same reference is already logged.</returns>
    public (CreditLedger Ledger, LoggedCredit Credit)? Log(
        DateTimeOffset earnedAt, decimal amount, string category, string activity, string? reference, CreditSource source,
        RenewalTerms terms, DateTimeOffset cycleStartedAt, DateTimeOffset at, string actor)
    {
        var errors = new ValidationErrors();
        if (amount is <= 0 or > MaxAmount) errors.Add("amount", $"Credits are a positive number, at most {MaxAmount.ToString(CultureInfo.InvariantCulture)} per activity.");
        category = PlainText.Required(errors, "category", category, MaxCategoryLength);
        activity = PlainText.Required(errors, "activity", activity, MaxActivityLength);
        reference = PlainText.Optional(errors, "reference", reference, MaxReferenceLength);
        // What the reviewer checks, and what keeps a resubmission of the same activity from counting twice.
        if (source == CreditSource.Holder && reference is null)
            errors.Add("reference", "The provider's reference for the activity (a certificate or record number) is required when learners log their own credits.");
        if (ClockSkew.IsInTheFuture(earnedAt, at)) errors.Add("earnedAt", "Credits cannot be earned in the future.");
        else if (earnedAt < cycleStartedAt) errors.Add("earnedAt", $"Credits earned before this cycle began ({cycleStartedAt:yyyy-MM-dd}) do not count toward its renewal.");
        errors.ThrowIfAny();
        if (reference is not null && WithReference(reference) is not null) return null;
        if (_entries.Count >= MaxEntries)
            throw new LimitReachedException("creditEntries", MaxEntries, $"This credential already holds {MaxEntries} credit entries, the most one record may hold; ask a program manager to record further credits with the renewal.");
        if (ThisCycle(cycleStartedAt).Entries >= MaxEntriesPerCycle)
            throw new LimitReachedException("creditEntriesPerCycle", MaxEntriesPerCycle, $"This cycle already holds {MaxEntriesPerCycle} credit entries, the most one cycle may hold; combine activities into fewer entries.");
        var credit = new LoggedCredit(earnedAt, amount, category, activity, reference, at, actor)
        {
            Number = _entries.Count + 1,
            Review = source == CreditSource.Holder && terms.CreditAttestation == CreditAttestation.ReviewRequired ? new CreditReview(CreditReviewState.Pending) : null,
        };
        return (new CreditLedger([.. _entries, credit]), credit);
    }

    /// <summary>A program manager's decision on a pending credit; a rejection needs a reason.</summary>
    public (CreditLedger Ledger, LoggedCredit Credit) Decide(string certificateId, int number, bool approve, DateTimeOffset at, string actor, string? reason)
    {
        if (!approve)
        {
            var errors = new ValidationErrors();
            reason = PlainText.Required(errors, "reason", reason, MaxReasonLength);
            errors.ThrowIfAny();
        }
        var credit = Find(number) ?? throw new NotFoundException("Credit", $"{certificateId}/credits/{number.ToString(CultureInfo.InvariantCulture)}");
        if (!credit.IsPending)
            throw new InvalidTransitionException(credit.Review is { } review
                ? $"Credit {number} of {certificateId} was already {review.State.ToString().ToLowerInvariant()}."
                : $"Credit {number} of {certificateId} needs no review: it counted when it was logged.");
        var decided = credit with { Review = new CreditReview(approve ? CreditReviewState.Approved : CreditReviewState.Rejected, at, actor, reason) };
        return (new CreditLedger([.. _entries.Select(c => c.Number == number ? decided : c)]), decided);
    }

    /// <summary>
    /// Every field of every entry, for the record digest; review fields only once reviewed, and the
    /// number only where it is not the entry's place (as every ledger writes it), so digests of older records still match.
    /// </summary>
    public void AddTo(CanonicalText text)
    {
        foreach (var (l, place) in _entries.Select((l, i) => (l, i + 1)))
        {
            text.Add(Ticks(l.EarnedAt)).Add(l.Amount.ToString(CultureInfo.InvariantCulture)).Add(l.Category).Add(l.Activity).Add(l.Reference).Add(Ticks(l.LoggedAt)).Add(l.LoggedBy);
            if (l.Number != place) text.Add("number").Add(l.Number.ToString(CultureInfo.InvariantCulture));
            if (l.Review is { } r) text.Add("review").Add(r.State.ToString()).Add(r.DecidedAt is { } d ? Ticks(d) : null).Add(r.DecidedBy).Add(r.Reason);
        }

        static string Ticks(DateTimeOffset d) => d.UtcTicks.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>The audit details of a credit, the same for logging and for its review: the number names it, its texts stay in the ledger.</summary>
    public static Dictionary<string, string> Describe(LoggedCredit credit) => new()
    {
        ["credit"] = credit.Number.ToString(CultureInfo.InvariantCulture),
        ["amount"] = credit.Amount.ToString(CultureInfo.InvariantCulture),
        ["earnedAt"] = credit.EarnedAt.ToString("O"),
    };
}

/// <summary>The ledger is stored as the plain array of its entries, the shape <c>creditLog</c> always had.</summary>
public sealed class CreditLedgerJsonConverter : JsonConverter<CreditLedger>
{
    public override CreditLedger Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        => CreditLedger.Of(JsonSerializer.Deserialize<List<LoggedCredit>>(ref reader, options) ?? []);

    public override void Write(Utf8JsonWriter writer, CreditLedger value, JsonSerializerOptions options)
        => JsonSerializer.Serialize(writer, value.ToList(), options);
}
