namespace CredentialFunctions.Adapters.Events;

/// <summary>
/// App settings section "Events": how integration events leave the outbox. With
/// <c>ServiceBus__FullyQualifiedNamespace</c> set they go to Service Bus topics; without it, to the
/// JSON-lines file <see cref="LocalLogPath"/> (the local host sets one); with neither, every send
/// fails saying what to set, so an event is recorded as unsent instead of being dropped.
/// </summary>
public sealed class EventOptions
{
    public const string Section = "Events";

    /// <summary>The CloudEvents <c>source</c> of every event: this deployment's address, e.g. https://func-abc.azurewebsites.net. Bicep sets it.</summary>
    public string Source { get; set; } = "";

    /// <summary>
    /// NCRONTAB (with seconds) of the timer that publishes what a crash left unsent. The Functions host
    /// reads it from the trigger's %Events:RepairSchedule%; every five minutes keeps a crash's events
    /// well inside the topics' duplicate detection window, should the crashed send have gone after all.
    /// </summary>
    public string RepairSchedule { get; set; } = DefaultRepairSchedule;

    public const string DefaultRepairSchedule = "0 */5 * * * *";

    /// <summary>Local development only: the append-only file (one CloudEvent per line) events go to when there is no Service Bus namespace.</summary>
    public string LocalLogPath { get; set; } = "";

}
