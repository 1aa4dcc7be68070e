using System.Text.Json.Serialization;

namespace CredentialFunctions.Domain.Retention;

/// <summary>What a legal hold is placed on: every credential of a learner, or every credential of a program.</summary>
public enum HoldSubject { Learner, Program }

/// <summary>A legal hold while it stands: who placed it, when, and why.</summary>
public sealed record StandingHold(DateTimeOffset PlacedAt, string PlacedBy, string Reason);

public enum HoldChange { Placed, Lifted }

/// <summary>One placing or lifting of a hold, kept for the auditor.</summary>
public sealed record HoldEntry(DateTimeOffset At, HoldChange Change, string By, string Reason);

/// <summary>The hold cannot change that way: placed while it stands, or lifted while none does (HTTP 409).</summary>
public sealed class LegalHoldStateException(string message) : DomainException(message);

/// <summary>
/// The legal hold of one learner or one program (spec C14): while it stands, none of their
/// credentials is purged, whatever their retention says. One record per subject, holding the
/// standing hold and every placing and lifting. Immutable: each change returns the next value.
/// </summary>
public sealed record LegalHold(HoldSubject Subject, string SubjectId, StandingHold? Standing, IReadOnlyList<HoldEntry> History)
{
    public const int MaxIdLength = 200;

    /// <summary>A hold is kept for years: its history of placings and liftings stays short.</summary>
    public const int MaxHistory = 200;

    public static LegalHold None(HoldSubject subject, string subjectId) => new(subject, RequireId(subjectId), null, []);

    [JsonIgnore]
    public bool Stands => Standing is not null;

    /// <summary>The record's key: "learner:{id}" or "program:{id}".</summary>
    [JsonIgnore]
    public string Key => KeyOf(Subject, SubjectId);

    public static string KeyOf(HoldSubject subject, string subjectId) => $"{subject.ToString().ToLowerInvariant()}:{subjectId}";

    public LegalHold Place(DateTimeOffset at, string by, string reason)
    {
        reason = RequireReason(reason);
        if (Standing is { } standing)
            throw new LegalHoldStateException($"A legal hold on {Describe()} already stands (placed {standing.PlacedAt:O} by {standing.PlacedBy}); lift it before placing another.");
        if (History.Count >= MaxHistory) throw new LimitReachedException("legalHoldHistory", MaxHistory, $"The legal hold on {Describe()} has been placed and lifted {MaxHistory} times, the most one record keeps.");
        return this with { Standing = new StandingHold(at, by, reason), History = [.. History, new HoldEntry(at, HoldChange.Placed, by, reason)] };
    }

    public LegalHold Lift(DateTimeOffset at, string by, string reason)
    {
        reason = RequireReason(reason);
        if (Standing is null) throw new LegalHoldStateException($"No legal hold stands on {Describe()}.");
        return this with { Standing = null, History = [.. History, new HoldEntry(at, HoldChange.Lifted, by, reason)] };
    }

    private string Describe() => $"{Subject.ToString().ToLowerInvariant()} {SubjectId}";

    public static string RequireId(string? id)
        => string.IsNullOrWhiteSpace(id) || id.Length > MaxIdLength || id.Any(char.IsControl) || id != id.Trim()
            ? throw ValidationFailedException.For("subjectId", $"An id of 1 to {MaxIdLength} characters, without spaces around it or control characters.")
            : id;

    /// <summary>Every placing and lifting says why: the reason, normalised, before anything is read.</summary>
    public static string RequireReason(string reason)
    {
        var errors = new ValidationErrors();
        var normalised = PlainText.Required(errors, "reason", reason, 1000);
        errors.ThrowIfAny();
        return normalised;
    }
}
