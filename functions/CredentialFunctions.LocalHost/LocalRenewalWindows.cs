using CredentialFunctions.Application.Notifications;
using CredentialFunctions.Application.Renewal;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CredentialFunctions.LocalHost;

/// <summary>
/// Renewal windows for local runs: the same orchestrator and activity classes the Functions app runs
/// behind its shims, on Durable Task's in-memory backend (state lives as long as the process). Its
/// DurableTaskClient is registered in the container, and <see cref="FunctionEndpoints"/> binds it to
/// a function's [DurableClient] parameter as the Functions host would.
/// </summary>
public static class LocalRenewalWindows
{
    public static IServiceCollection AddLocalRenewalWindows(this IServiceCollection services)
    {
        services.AddInMemoryDurableTask(
            tasks => tasks.AddOrchestrator<RenewalWindowOrchestrator>().AddActivity<PlanRenewalStep>().AddActivity<TakeRenewalStep>(),
            // A free port rather than the package's random pick, so hosts started side by side (tests) never collide.
            new InMemoryDurableTaskOptions { Port = LocalCosmosServer.FreePort() });
        services.TryAddSingleton<INotificationSender, LogNotificationSender>();
        return services;
    }
}

/// <summary>
/// Local runs without a mail adapter configured: each message goes to the log, so a person watching a
/// short program's cycle sees every reminder and notice the moment it would be sent.
/// </summary>
public sealed class LogNotificationSender(ILogger<LogNotificationSender> logger) : INotificationSender
{
    public Task<string> SendAsync(Notification notification, CancellationToken cancellationToken)
    {
        logger.LogWarning("{Kind} {DeliveryKey} to {Email} about {CertificateId} ({Program}); expires {ExpiresAt:O}, grace ends {GraceEndsAt:O}, days left {DaysLeft}",
            notification.Kind, notification.DeliveryKey, notification.LearnerEmail, notification.CertificateId, notification.ProgramName,
            notification.ExpiresAt, notification.GraceEndsAt, notification.DaysLeft);
        return Task.FromResult($"log:{notification.DeliveryKey}");
    }
}
