using CredentialFunctions.Domain.Programs;

namespace CredentialFunctions.Domain.Renewal;

/// <summary>
/// The last schedule computed for a credential, kept with the inputs it came from. A record's
/// <c>with</c> copies the memo into the next version, so every read checks the inputs and a version
/// with another expiry, terms or grace end computes its own. Any two memos are equal, so two
/// credentials still compare on their data alone.
/// </summary>
internal sealed class ScheduleMemo : IEquatable<ScheduleMemo>
{
    private sealed record Entry(DateTimeOffset ExpiresAt, RenewalTerms Terms, DateTimeOffset? GraceEndsAt, RenewalSchedule Schedule);

    // Entries are immutable and replaced whole, so threads reading one credential at once at worst compute it twice.
    private Entry? _last;

    public RenewalSchedule For(DateTimeOffset expiresAt, RenewalTerms terms, DateTimeOffset? graceEndsAt)
    {
        var last = Volatile.Read(ref _last);
        if (last is not null && Same(last.ExpiresAt, expiresAt) && ReferenceEquals(last.Terms, terms) && Same(last.GraceEndsAt, graceEndsAt))
            return last.Schedule;
        var schedule = RenewalSchedule.For(expiresAt, terms, graceEndsAt);
        Volatile.Write(ref _last, new Entry(expiresAt, terms, graceEndsAt, schedule));
        return schedule;
    }

    // Exact, not instant, equality: the schedule's instants carry the offsets of the ones given.
    private static bool Same(DateTimeOffset? a, DateTimeOffset? b) => a is { } x ? b is { } y && x.EqualsExact(y) : b is null;

    public bool Equals(ScheduleMemo? other) => other is not null;

    public override bool Equals(object? obj) => obj is ScheduleMemo;

    public override int GetHashCode() => 0;
}
