namespace CredentialFunctions.Adapters.Retention;

/// <summary>
/// App settings section "Retention". The Functions host reads the schedule itself, from the timer
/// trigger's %Retention:PurgeSchedule% expression; this class is its contract (name and default)
/// for Bicep and local settings, which must both set it.
/// </summary>
public sealed class RetentionOptions
{
    public const string Section = "Retention";

    /// <summary>NCRONTAB (with seconds) of the daily retention sweep: 03:15 UTC, after the renewal reconciliation.</summary>
    public string PurgeSchedule { get; set; } = DefaultPurgeSchedule;

    public const string DefaultPurgeSchedule = "0 15 3 * * *";
}
