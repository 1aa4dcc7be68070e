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
    /// <summary>The record changed some other way (a reinstatement while the window still ran, a restore, a repair): re-read it.</summary>
    RecordChanged,
}

public sealed record RenewalWindowEvent(RenewalWindowEventKind Kind, DateTimeOffset At);

/// <summary>
/// The renewal window of each credential as a running process (a Durable orchestration in Azure).
/// The credential record is the source of truth; the window schedules from it and is told when it
/// changes. Every call is safe to repeat.
/// </summary>
public interface IRenewalWindows
{
    /// <summary>
    /// Starts the window for the credential's current cycle, also after an earlier window ended
    /// (issuance, reinstatement); a window already running is woken to re-read the record.
    /// </summary>
    Task StartAsync(string certificateId, CancellationToken cancellationToken);

    /// <summary>Tells the running window about a change already written to the record.</summary>
    Task RaiseAsync(string certificateId, RenewalWindowEvent windowEvent, CancellationToken cancellationToken);

    /// <summary>Whether a window is running (or about to) for the credential.</summary>
    Task<bool> IsRunningAsync(string certificateId, CancellationToken cancellationToken);
}
