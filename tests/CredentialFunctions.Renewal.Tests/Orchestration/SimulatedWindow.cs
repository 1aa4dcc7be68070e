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
/// timers, one external event and ContinueAsNew fails the test. Every call and its answer is kept
/// as the run's history, which <see cref="ReplayAsync"/> feeds back as Durable Task replays one.
/// </summary>
internal sealed class SimulatedWindow
{
    /// <summary>One call the orchestrator made on its context, the answer it got (null: a task that never completed), and the orchestration clock after it.</summary>
    private sealed record HistoryEntry(string Call, object? Argument, object? Answer, DateTimeOffset NowAfter);

    private readonly Dictionary<DateTimeOffset, (DateTimeOffset At, RenewalWindowEventKind Kind, Func<Credential, DateTimeOffset, Credential> Change)> _interruptions = [];
    private readonly List<HistoryEntry> _history = [];
    private readonly DateTimeOffset _startedAt;
    private readonly Mock<TaskOrchestrationContext> _context = new(MockBehavior.Strict);
    private readonly HashSet<string> _refused = [];
    private readonly HashSet<RenewalStepKind> _outages = [];
    private bool _eventPending;
    private RenewalWindowEventKind _pendingKind;

    public SimulatedWindow(Credential credential, DateTimeOffset now)
    {
        Credential = credential;
        Now = _startedAt = now;
        _context.SetupGet(c => c.CurrentUtcDateTime).Returns(() => Now.UtcDateTime);
        _context.Setup(c => c.CallActivityAsync<RenewalPlan>(It.Is<TaskName>(n => n.Name == nameof(PlanRenewalStep)), It.IsAny<object>(), It.IsAny<TaskOptions>()))
            .Returns((TaskName _, object input, TaskOptions _) => Task.FromResult(Recorded(nameof(PlanRenewalStep), input, Plan((PlanRequest)input))));
        _context.Setup(c => c.CallActivityAsync<bool>(It.Is<TaskName>(n => n.Name == nameof(TakeRenewalStep)), It.IsAny<object>(), It.IsAny<TaskOptions>()))
            .Returns((TaskName _, object input, TaskOptions _) => Task.FromResult(Recorded(nameof(TakeRenewalStep), input, Take(((StepRequest)input).Step))));
        _context.Setup(c => c.CreateTimer(It.IsAny<DateTime>(), It.IsAny<CancellationToken>()))
            .Returns((DateTime fireAt, CancellationToken _) => Sleep(new DateTimeOffset(fireAt, TimeSpan.Zero)));
        _context.Setup(c => c.WaitForExternalEvent<RenewalWindowEvent>(RenewalWindowOrchestrator.ChangedEvent, It.IsAny<CancellationToken>()))
            .Returns(() => Wake());
        _context.Setup(c => c.ContinueAsNew(It.IsAny<object>(), It.IsAny<bool>()))
            .Callback((object input, bool _) => ContinuedAsNew = Recorded(nameof(TaskOrchestrationContext.ContinueAsNew), input, (RenewalWindowInput)input));
    }

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
        => new RenewalWindowOrchestrator().RunAsync(_context.Object, new RenewalWindowInput(Credential.CertificateId, cycle));

    /// <summary>
    /// Runs a fresh orchestrator against the recorded history, as a worker rebuilding the window after
    /// a restart does: every call must be the one recorded at that point, with the same argument, and
    /// gets the recorded answer; the clock is the one recorded. Fails on the first call that differs,
    /// and when the replay ends before the history does.
    /// </summary>
    public async Task<RenewalWindowEnded?> ReplayAsync(int? cycle = null)
    {
        var history = new Queue<HistoryEntry>(_history);
        var now = _startedAt;
        object? Replayed(string call, object? argument)
        {
            var at = _history.Count - history.Count;
            if (!history.TryDequeue(out var recorded)) Assert.Fail($"The replay called {call} beyond the end of the recorded history ({_history.Count} calls).");
            Assert.True(recorded.Call == call && Equals(recorded.Argument, argument), $"Call {at} of the replay is {call}, not the recorded {recorded.Call}, or its argument differs.");
            now = recorded.NowAfter;
            return recorded.Answer;
        }

        var replay = new Mock<TaskOrchestrationContext>(MockBehavior.Strict);
        replay.SetupGet(c => c.CurrentUtcDateTime).Returns(() => now.UtcDateTime);
        replay.Setup(c => c.CallActivityAsync<RenewalPlan>(It.Is<TaskName>(n => n.Name == nameof(PlanRenewalStep)), It.IsAny<object>(), It.IsAny<TaskOptions>()))
            .Returns((TaskName _, object input, TaskOptions _) => Task.FromResult((RenewalPlan)Replayed(nameof(PlanRenewalStep), input)!));
        replay.Setup(c => c.CallActivityAsync<bool>(It.Is<TaskName>(n => n.Name == nameof(TakeRenewalStep)), It.IsAny<object>(), It.IsAny<TaskOptions>()))
            .Returns((TaskName _, object input, TaskOptions _) => Task.FromResult((bool)Replayed(nameof(TakeRenewalStep), input)!));
        replay.Setup(c => c.CreateTimer(It.IsAny<DateTime>(), It.IsAny<CancellationToken>()))
            .Returns((DateTime fireAt, CancellationToken _) => Replayed(nameof(TaskOrchestrationContext.CreateTimer), fireAt) is true ? Task.CompletedTask : new TaskCompletionSource().Task);
        replay.Setup(c => c.WaitForExternalEvent<RenewalWindowEvent>(RenewalWindowOrchestrator.ChangedEvent, It.IsAny<CancellationToken>()))
            .Returns(() => Replayed(nameof(TaskOrchestrationContext.WaitForExternalEvent), null) is RenewalWindowEvent e ? Task.FromResult(e) : new TaskCompletionSource<RenewalWindowEvent>().Task);
        replay.Setup(c => c.ContinueAsNew(It.IsAny<object>(), It.IsAny<bool>()))
            .Callback((object input, bool _) => Replayed(nameof(TaskOrchestrationContext.ContinueAsNew), input));

        var ended = await new RenewalWindowOrchestrator().RunAsync(replay.Object, new RenewalWindowInput(Credential.CertificateId, cycle));
        Assert.True(history.Count == 0, $"The replay ended with {history.Count} recorded calls it never made, first {history.FirstOrDefault()?.Call}.");
        return ended;
    }

    public IEnumerable<string> Sent => Steps.Where(s => s.SendsNotice).Select(s => s.DeliveryKey);

    private T Recorded<T>(string call, object? argument, T answer)
    {
        _history.Add(new HistoryEntry(call, argument, answer, Now));
        return answer;
    }

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
            Recorded(nameof(TaskOrchestrationContext.CreateTimer), fireAt.UtcDateTime, false);
            return new TaskCompletionSource().Task;
        }
        Now = fireAt;
        Recorded(nameof(TaskOrchestrationContext.CreateTimer), fireAt.UtcDateTime, true);
        return Task.CompletedTask;
    }

    private Task<RenewalWindowEvent> Wake()
    {
        if (!_eventPending)
        {
            Recorded<RenewalWindowEvent?>(nameof(TaskOrchestrationContext.WaitForExternalEvent), null, null);
            return new TaskCompletionSource<RenewalWindowEvent>().Task;
        }
        _eventPending = false;
        return Task.FromResult(Recorded(nameof(TaskOrchestrationContext.WaitForExternalEvent), null, new RenewalWindowEvent(_pendingKind, Now)));
    }
}
