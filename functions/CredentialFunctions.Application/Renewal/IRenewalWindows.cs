namespace CredentialFunctions.Application.Renewal;

/// <summary>What happened to a credential that its running renewal window must react to.</summary>
public enum RenewalWindowEventKind
{
    /// <summary>A renewal pathway was completed: the record holds the new expiry; the window starts the next cycle.</summary>
    Renewed,
    /// <summary>A program manager moved the grace end: the record holds the new one.</summary>
    GraceExtended,
    /// <summary>The credential was revoked: the window ends.</summary>
    Revoked,
    /// <summary>The learner left the employer: no more reminders, history kept; the window ends.</summary>
    LearnerLeft,
}

public sealed record RenewalWindowEvent(RenewalWindowEventKind Kind, DateTimeOffset At);

/// <summary>
/// The renewal window of each credential as a running process (a Durable orchestration in Azure).
/// The credential record is the source of truth; the window schedules from it and is told when it
/// changes. Every call is safe to repeat.
/// </summary>
public interface IRenewalWindows
{
    /// <summary>Starts the window for the credential's current cycle; harmless when it already runs (issuance, reinstatement, reconciliation).</summary>
    Task StartAsync(string certificateId, CancellationToken cancellationToken);

    /// <summary>Tells the running window about a change already written to the record.</summary>
    Task RaiseAsync(string certificateId, RenewalWindowEvent windowEvent, CancellationToken cancellationToken);
}
