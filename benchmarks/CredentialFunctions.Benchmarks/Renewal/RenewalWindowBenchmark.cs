using CredentialFunctions.Application.Ports;
using System.Collections.Concurrent;
using System.Diagnostics;
using CredentialFunctions.Adapters.Durable;
using CredentialFunctions.Application;
using CredentialFunctions.Application.Notifications;
using CredentialFunctions.Application.Renewal;
using CredentialFunctions.Domain.Credentials;
using CredentialFunctions.Domain.Programs;
using CredentialFunctions.Testing.Builders;
using CredentialFunctions.Testing.Durable;
using CredentialFunctions.Testing.Stores;
using Microsoft.DurableTask.Client;

namespace CredentialFunctions.Benchmarks.Renewal;

/// <summary>
/// (1) History events per renewal cycle, for credentials with 0, 1 and 5 past renewals: a cycle's
/// history must not grow with the renewals before it (each renewal continues as new).
/// (2) Throughput of starting and completing many short renewal windows (whole cycle: reminder,
/// grace, lapse, follow-up) on the in-memory Durable backend.
/// </summary>
internal static class RenewalWindowBenchmark
{
    /// <summary>Work items the backend hands out at once: Azure Storage's default per worker is ten times the processor count.</summary>
    private const int ConcurrentWorkItems = 64;

    public static async Task RunAsync(string[] args)
    {
        var windows = args.FirstOrDefault() is { } text ? int.Parse(text, System.Globalization.CultureInfo.InvariantCulture) : 10_000;
        await HistoryPerCycleAsync();
        await ThroughputAsync(windows);
    }

    private static async Task HistoryPerCycleAsync()
    {
        BackendProbe counter = null!;
        await using var backend = await InMemoryDurableBackend.StartAsync(inner => { (var service, counter) = BackendProbe.Wrap(inner); return service; });
        var store = new InMemoryCredentialStore();
        await using var worker = await backend.StartWorkerAsync(store, new CountingSender());
        var renewalWindows = new DurableRenewalWindows(worker.Client, TimeProvider.System);
        var updater = new CredentialUpdater(store);

        async Task<string> RunAsync(int pastRenewals, int seed)
        {
            var credential = A.Credential(A.Terms("PT4S", ["PT2S"], grace: "PT1S", followUp: "PT1S"), DateTimeOffset.UtcNow, seed);
            await store.TryCreateAsync(credential, CancellationToken.None);
            await renewalWindows.StartAsync(credential.CertificateId, CancellationToken.None);
            for (var cycle = 1; cycle <= pastRenewals; cycle++)
            {
                // Renew once the cycle's reminder is behind the window, or once the window is past it: a window
                // running late skips a superseded reminder (by design), so waiting for "sent" alone could wait for ever.
                using var behind = new CancellationTokenSource(TimeSpan.FromMinutes(2));
                while ((await store.GetAsync(credential.CertificateId, CancellationToken.None))!.Value is var held
                       && held.State == CredentialState.Active && held.Outbox.Find($"c{cycle}:reminder:PT2S") is not { IsFinished: true })
                    await Task.Delay(50, behind.Token);
                await updater.UpdateAsync(credential.CertificateId, c => c.Renew(RenewalPathway.RetakeExam, DateTimeOffset.UtcNow, "benchmark"), CancellationToken.None);
                await renewalWindows.RaiseAsync(credential.CertificateId, new RenewalWindowEvent(RenewalWindowEventKind.Renewed, DateTimeOffset.UtcNow), CancellationToken.None);
            }
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            await worker.Client.WaitForInstanceCompletionAsync(DurableRenewalWindows.InstanceId(credential.CertificateId), timeout.Token);
            return DurableRenewalWindows.InstanceId(credential.CertificateId);
        }

        var runs = await Task.WhenAll(new[] { 0, 1, 5 }.Select((renewals, i) => RunAsync(renewals, i + 1)));
        Console.WriteLine("History events per execution (one execution per cycle), by past renewals:");
        foreach (var (renewals, instance) in new[] { 0, 1, 5 }.Zip(runs))
        {
            var executions = counter.EventsByExecution.Where(e => e.Key.StartsWith(instance + "/", StringComparison.Ordinal)).Select(e => e.Value).ToList();
            Console.WriteLine($"  {renewals} past renewals: {executions.Count} executions; renewed cycles {Describe(executions.Where(n => n != executions.Max()))}; the final, whole cycle (reminder, grace, lapse, follow-up) {executions.Max()} events");
        }

        static string Describe(IEnumerable<int> counts) => counts.Any() ? string.Join("/", counts.Distinct().Order()) + " events" : "none";
    }

    private static async Task ThroughputAsync(int windows)
    {
        await using var backend = await InMemoryDurableBackend.StartAsync(inner => BackendProbe.Wrap(inner, ConcurrentWorkItems).Service);
        var store = new InMemoryCredentialStore();
        var sender = new CountingSender();
        await using var worker = await backend.StartWorkerAsync(store, sender);
        var renewalWindows = new DurableRenewalWindows(worker.Client, TimeProvider.System);
        var terms = A.Terms("PT10S", ["PT5S"], grace: "PT5S", followUp: "PT5S");
        var credentials = Enumerable.Range(0, windows).Select(i => A.Credential(terms, DateTimeOffset.UtcNow, seed: i)).ToList();
        foreach (var credential in credentials) await store.TryCreateAsync(credential, CancellationToken.None);

        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(credentials, new ParallelOptions { MaxDegreeOfParallelism = 32 },
            async (credential, cancellationToken) => await renewalWindows.StartAsync(credential.CertificateId, cancellationToken));
        var started = clock.Elapsed;

        // Each window sends five messages (the notice of issue, reminder, grace, lapse, follow-up) and then ends. A backend
        // so loaded that a step runs after the next one is due skips the superseded message (by design):
        // the count of messages shows whether it kept up.
        for (var progress = Stopwatch.StartNew(); await CompletedAsync(worker.Client) is var done && done < windows; await Task.Delay(250))
        {
            if (progress.Elapsed < TimeSpan.FromSeconds(10)) continue;
            Console.WriteLine($"  … {clock.Elapsed.TotalSeconds:F0} s: {done} completed, {sender.Sent} messages sent");
            progress.Restart();
        }
        var completed = clock.Elapsed;

        Console.WriteLine($"{windows} renewal windows of a 10 s validity with a reminder 5 s before expiry, 5 s grace and a follow-up 5 s after lapse (20 s of timers each):");
        Console.WriteLine($"  started in {started.TotalSeconds:F1} s ({windows / started.TotalSeconds:F0} starts/s)");
        Console.WriteLine($"  all completed after {completed.TotalSeconds:F1} s ({windows / completed.TotalSeconds:F0} windows/s end to end)");
        Console.WriteLine($"  messages sent {sender.Sent} of {5 * windows} (the rest superseded by a later step, the backend running behind), sent twice {sender.Duplicates}");
        Console.WriteLine($"  backend work items at once: {ConcurrentWorkItems}");
    }

    private static async Task<int> CompletedAsync(DurableTaskClient client)
    {
        var count = 0;
        await foreach (var _ in client.GetAllInstancesAsync(new OrchestrationQuery { Statuses = [OrchestrationRuntimeStatus.Completed], PageSize = 1000 }))
            count++;
        return count;
    }

    private sealed class CountingSender : INotificationSender
    {
        private readonly ConcurrentDictionary<string, int> _byKey = new();

        public int Sent => _byKey.Values.Sum();
        public int Duplicates => _byKey.Values.Count(n => n > 1);

        public Task<string> SendAsync(Notification notification, CancellationToken cancellationToken)
        {
            _byKey.AddOrUpdate($"{notification.CertificateId}/{notification.DeliveryKey}", 1, (_, n) => n + 1);
            return Task.FromResult(notification.DeliveryKey);
        }

        public Task<string?> FindSentAsync(Notification notification, CancellationToken cancellationToken)
            => Task.FromResult<string?>(null);
    }
}
