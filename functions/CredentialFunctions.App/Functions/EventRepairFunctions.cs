using CredentialFunctions.Application.Events;
using Microsoft.Azure.Functions.Worker;

namespace CredentialFunctions.App.Functions;

/// <summary>Every few minutes: publish the integration events a crash or an outage left in an outbox.</summary>
public sealed class EventRepairFunctions(EventRepair repair)
{
    [Function("PublishUnsentEvents")]
    public Task<EventRepairReport> PublishUnsent([TimerTrigger("%Events:RepairSchedule%")] TimerInfo timer, CancellationToken cancellationToken)
        => repair.RunAsync(cancellationToken);
}
