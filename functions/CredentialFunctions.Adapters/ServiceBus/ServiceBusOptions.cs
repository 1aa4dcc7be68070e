namespace CredentialFunctions.Adapters.ServiceBus;

/// <summary>
/// App settings section "ServiceBus" (ServiceBus__FullyQualifiedNamespace, …): where payment events
/// for finance and credential events for anyone who subscribes are published. The app authenticates with its managed identity; the namespace has
/// SAS keys disabled.
/// </summary>
public sealed class ServiceBusOptions
{
    public const string Section = "ServiceBus";

    /// <summary>The namespace's host name, e.g. sb-abc.servicebus.windows.net.</summary>
    public string FullyQualifiedNamespace { get; set; } = "";

    /// <summary>The topic finance subscribes to. infra/ provisions it under this name; a test checks the two agree.</summary>
    public string PaymentsTopic { get; set; } = "payments";

    /// <summary>The topic credential lifecycle events go to. infra/ provisions it under this name; a test checks the two agree.</summary>
    public string CredentialsTopic { get; set; } = "credentials";
}
