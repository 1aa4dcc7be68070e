using CredentialFunctions.Application.Renewal;
using CredentialFunctions.Domain.Credentials;
using CredentialFunctions.Domain.Programs;
using CredentialFunctions.Domain.Renewal;
using Microsoft.DurableTask;
using Moq;

namespace CredentialFunctions.Renewal.Tests.Orchestration;

/// <summary>
/// Runs the real orchestrator on a strict Moq'd <see cref="TaskOrchestrationContext"/>: its activities
/// plan from and apply steps to a credential held here, its clock moves only when a timer fires, and
/// a test can have the record change (and the event arrive) while the window sleeps toward an
/// instant. Strict: any context member the orchestrator touches beyond its clock, two activities,
/// timers, one external event and ContinueAsNew fails the test.
/// </summary>
internal sealed class SimulatedWindow
{
    private readonly Dictionary<DateTimeOffset, (DateTimeOffset At, RenewalWindowEventKind Kind, Func<Credential, DateTimeOffset, Credential> Change)> _interruptions = [];
    private readonly HashSet<string> _refused = [];
    private readonly HashSet<RenewalStepKind> _outages = [];
    private bool _eventPending;
    private RenewalWindowEventKind _pendingKind;

    public SimulatedWindow(Credential credential, DateTimeOffset now)
    {
        Credential = credential;
        Now = now;
        Context = new Mock<TaskOrchestrationContext>(MockBehavior.Strict);
        Context.SetupGet(c => c.CurrentUtcDateTime).Returns(() => Now.UtcDateTime);
        Context.Setup(c => c.CallActivityAsync<RenewalPlan>(It.Is<TaskName>(n => n.Name == nameof(PlanRenewalStep)), It.IsAny<object>(), It.IsAny<TaskOptions>()))
            .Returns((TaskName _, object input, TaskOptions _) => Task.FromResult(Plan((PlanRequest)input)));
        Context.Setup(c => c.CallActivityAsync<bool>(It.Is<TaskName>(n => n.Name == nameof(TakeRenewalStep)), It.IsAny<object>(), It.IsAny<TaskOptions>()))
            .Returns((TaskName _, object input, TaskOptions _) => Task.FromResult(Take(((StepRequest)input).Step)));
        Context.Setup(c => c.CreateTimer(It.IsAny<DateTime>(), It.IsAny<CancellationToken>()))
            .Returns((DateTime fireAt, CancellationToken _) => Sleep(new DateTimeOffset(fireAt, TimeSpan.Zero)));
        Context.Setup(c => c.WaitForExternalEvent<RenewalWindowEvent>(RenewalWindowOrchestrator.ChangedEvent, It.IsAny<CancellationToken>()))
            .Returns(() => Wake());
        Context.Setup(c => c.ContinueAsNew(It.IsAny<object>(), It.IsAny<bool>()))
            .Callback((object input, bool _) => ContinuedAsNew = (RenewalWindowInput)input);
    }

    public Mock<TaskOrchestrationContext> Context { get; }
    public Credential Credential { get; private set; }
    public DateTimeOffset Now { get; private set; }
    public List<DateTimeOffset> Timers { get; } = [];
    public List<RenewalStep> Steps { get; } = [];
    public RenewalWindowInput? ContinuedAsNew { get; private set; }

    /// <summary>While the window sleeps toward <paramref name="sleepingToward"/>, at <paramref name="at"/> the record changes and the event arrives.</summary>
    public SimulatedWindow When(DateTimeOffset sleepingToward, DateTimeOffset at, RenewalWindowEventKind kind, Func<Credential, DateTimeOffset, Credential> change)
    {
        _interruptions[sleepingToward] = (at, kind, change);
        return this;
    }

    /// <summary>The provider refuses the message for good: its send records it as failed permanently.</summary>
    public SimulatedWindow Refusing(string deliveryKey)
    {
        _refused.Add(deliveryKey);
        return this;
    }

    /// <summary>The first attempt at a step of this kind fails with its retries spent, as in an outage.</summary>
    public SimulatedWindow OutageAt(RenewalStepKind kind)
    {
        _outages.Add(kind);
        return this;
    }

    public Task<RenewalWindowEnded?> RunAsync(int? cycle = null)
        => new RenewalWindowOrchestrator().RunAsync(Context.Object, new RenewalWindowInput(Credential.CertificateId, cycle));

    public IEnumerable<string> Sent => Steps.Where(s => s.SendsNotice).Select(s => s.DeliveryKey);

    private RenewalPlan Plan(PlanRequest request)
    {
        if (Timers.Count + Steps.Count > 200) throw new InvalidOperationException("The window does not end.");
        return new RenewalPlan(Credential.Cycle, RenewalWindow.NextStep(Credential, request.Now));
    }

    private bool Take(RenewalStep step)
    {
        if (_outages.Remove(step.Kind))
            throw new TaskFailedException(nameof(TakeRenewalStep), Steps.Count, new TaskFailureDetails("CosmosException", "Service unavailable", null, null, null));
        Steps.Add(step);
        Credential = step.Kind switch
        {
            RenewalStepKind.EnterGrace => Credential.EnterGrace(Now).Credential,
            RenewalStepKind.Lapse => Credential.Lapse(Now).Credential,
            RenewalStepKind.RenewByCredits => Credential.Renew(RenewalPathway.ContinuingEducationCredits, Now, "system").Credential,
            _ => Send(step),
        };
        return true;
    }

    private Credential Send(RenewalStep step)
    {
        var claimed = Credential.ClaimOutboxEntry(OutboxEntry.Pending(step.DeliveryKey, OutboxChannel.Email, step.Kind.ToString(), "{}"), "simulation", Now, TimeSpan.FromMinutes(5))!;
        return _refused.Contains(step.DeliveryKey)
            ? claimed.RecordOutboxFailed(step.DeliveryKey, "400 InvalidRecipient", permanently: true)
            : claimed.RecordOutboxSent(step.DeliveryKey, "msg", Now).Credential;
    }

    private Task Sleep(DateTimeOffset fireAt)
    {
        Timers.Add(fireAt);
        if (_interruptions.Remove(fireAt, out var interruption))
        {
            Now = interruption.At;
            Credential = interruption.Change(Credential, Now);
            (_eventPending, _pendingKind) = (true, interruption.Kind);
            return new TaskCompletionSource().Task;
        }
        Now = fireAt;
        return Task.CompletedTask;
    }

    private Task<RenewalWindowEvent> Wake()
    {
        if (!_eventPending) return new TaskCompletionSource<RenewalWindowEvent>().Task;
        _eventPending = false;
        return Task.FromResult(new RenewalWindowEvent(_pendingKind, Now));
    }
}
