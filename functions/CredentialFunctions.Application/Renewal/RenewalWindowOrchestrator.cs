using CredentialFunctions.Domain.Renewal;
using Microsoft.DurableTask;

namespace CredentialFunctions.Application.Renewal;

public sealed record RenewalWindowInput(string CertificateId, int? Cycle = null);

/// <summary>How a window ended: the cycle it was in when the record said there was nothing more to do.</summary>
public sealed record RenewalWindowEnded(string CertificateId, int Cycle);

/// <summary>
/// The clock of one credential's renewal window; the credential record is the source of truth.
/// Each turn asks the record what is due next (a reminder, grace, lapse, a notice), sleeps on a
/// durable timer until then unless a change wakes it first, and takes the step. A renewal or
/// reinstatement moves the record to a new cycle, and the window continues as new, so its history
/// holds one cycle however many years the credential lives. Deterministic: the only clock is
/// <see cref="TaskOrchestrationContext.CurrentUtcDateTime"/>; all I/O is in the two activities.
/// </summary>
[DurableTask(Name)]
public sealed class RenewalWindowOrchestrator : TaskOrchestrator<RenewalWindowInput, RenewalWindowEnded?>
{
    public const string Name = "RenewalWindow";
    public const string ChangedEvent = "RenewalWindowChanged";

    /// <summary>Retries ride out a store or mail provider hiccup within the hour.</summary>
    public static readonly TaskOptions StepRetries = TaskOptions.FromRetryPolicy(new RetryPolicy(
        maxNumberOfAttempts: 6, firstRetryInterval: TimeSpan.FromSeconds(30), backoffCoefficient: 2, maxRetryInterval: TimeSpan.FromMinutes(15)));

    /// <summary>
    /// After the retries are spent, a longer outage: the window tries again later (or a later step
    /// supersedes it) instead of failing for good, as a new execution, so an outage that lasts cannot
    /// grow the history. (A message that keeps failing is bounded by the outbox's attempts.)
    /// </summary>
    public static readonly TimeSpan RetryAfterOutage = TimeSpan.FromHours(1);

    public override async Task<RenewalWindowEnded?> RunAsync(TaskOrchestrationContext context, RenewalWindowInput input)
    {
        var cycle = input.Cycle;
        while (true)
        {
            var plan = await context.CallActivityAsync<RenewalPlan>(nameof(PlanRenewalStep), new PlanRequest(input.CertificateId, Now(context)), StepRetries);
            if (plan.Next is not { } step) return new RenewalWindowEnded(input.CertificateId, plan.Cycle);
            cycle ??= plan.Cycle;
            if (plan.Cycle != cycle)
            {
                context.ContinueAsNew(new RenewalWindowInput(input.CertificateId, plan.Cycle), preserveUnprocessedEvents: true);
                return null;
            }
            if (!await SleepUntilAsync(context, step.At)) continue;
            try
            {
                await context.CallActivityAsync<bool>(nameof(TakeRenewalStep), new StepRequest(input.CertificateId, step), StepRetries);
            }
            catch (TaskFailedException)
            {
                await SleepUntilAsync(context, Now(context) + RetryAfterOutage);
                context.ContinueAsNew(new RenewalWindowInput(input.CertificateId, cycle), preserveUnprocessedEvents: true);
                return null;
            }
        }
    }

    /// <returns>True when the instant came; false when a change to the record woke the window first, so it plans again.</returns>
    private static async Task<bool> SleepUntilAsync(TaskOrchestrationContext context, DateTimeOffset at)
    {
        // A missed instant (the app was down) is in the past: the step is taken now, late, once.
        if (at <= Now(context)) return true;
        using var cancel = new CancellationTokenSource();
        var timer = context.CreateTimer(at.UtcDateTime, cancel.Token);
        var change = context.WaitForExternalEvent<RenewalWindowEvent>(ChangedEvent, cancel.Token);
        var first = await Task.WhenAny(timer, change);
        // Synchronous on purpose: CancelAsync completes on the thread pool, and an orchestrator may only
        // await tasks its own context completes, or replay stops short of the next step (non-determinism).
        cancel.Cancel();
        return first == timer;
    }

    private static DateTimeOffset Now(TaskOrchestrationContext context)
        => new(DateTime.SpecifyKind(context.CurrentUtcDateTime, DateTimeKind.Utc));
}
