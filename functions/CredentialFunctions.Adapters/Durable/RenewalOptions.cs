namespace CredentialFunctions.Adapters.Durable;

/// <summary>
/// App settings section "Renewal". The Functions host reads the schedule itself, from the timer
/// trigger's %Renewal:ReconcileSchedule% expression; this class is its contract (name and default)
/// for Bicep and local settings, which must both set it.
/// </summary>
public sealed class RenewalOptions
{
    public const string Section = "Renewal";

    /// <summary>NCRONTAB (with seconds) of the daily reconciliation: 02:30 UTC, away from the top of the hour when timers crowd.</summary>
    public string ReconcileSchedule { get; set; } = DefaultReconcileSchedule;

    public const string DefaultReconcileSchedule = "0 30 2 * * *";
}
