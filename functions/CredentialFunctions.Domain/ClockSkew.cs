namespace CredentialFunctions.Domain;

/// <summary>
/// How far ahead of our clock the clock of whoever reports a date (an LMS, a learner's device, a
/// program manager's browser) may run: a date that far ahead is their "now", not the future.
/// </summary>
public static class ClockSkew
{
    public static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    /// <summary>Whether the reported instant is in the future even for a clock running ahead of ours.</summary>
    public static bool IsInTheFuture(DateTimeOffset reported, DateTimeOffset now) => reported > now + Tolerance;
}
