using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Runtime;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CredentialFunctions.Adapters.Cosmos;
using CredentialFunctions.Application;
using CredentialFunctions.Application.Access;
using CredentialFunctions.Application.Cohorts;
using CredentialFunctions.Application.Ports;
using CredentialFunctions.Application.Reports;
using CredentialFunctions.Application.Renewal;
using CredentialFunctions.Testing.Api;
using CredentialFunctions.Testing.Stores;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.DependencyInjection;

namespace CredentialFunctions.Benchmarks.Bulk;

/// <summary>
/// Bulk issuance of N learners (default 100,000) through the API on the local host (its in-process
/// Durable backend, the local Cosmos server), from the POST to the run's end: credentials per
/// second, after warm-up cohorts on other programs. Then the same cohort again, which must create
/// none. Then the baseline: the raw SDK's CreateItemStreamAsync of N documents like the credentials
/// just issued, at the orchestration's concurrency (batches at once × a batch's creates at once) and
/// at the concurrency the run achieved, and the ratio of each. The renewal windows are recorded, not
/// run: starting one is a call to the task hub in Azure, and running 100,000 of them here would
/// measure the in-memory backend rather than issuance. Each store call of the first run is counted
/// and timed (<see cref="StoreCalls"/>), and this process's CPU, allocations and GC pauses are
/// taken for the run and for each baseline: on two cores shared with the local server, the CPU an
/// issuance spends beside its create is what holds the ratio down.
/// </summary>
internal static class BulkIssuanceBenchmark
{
    private const int Concurrency = CohortRunOrchestrator.DefaultParallelism * Concurrently.BatchCalls;
    private const int WarmUpLearners = 10_000;
    private const int MaxWarmUpRounds = 12;

    public static async Task RunAsync(string[] args)
    {
        var count = args.FirstOrDefault() is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : CohortIntake.MaxRows;
        var windows = new RecordingRenewalWindows();
        var calls = new StoreCalls();
        await using var api = await ApiHost.StartAsync(overrides: services =>
        {
            services.AddSingleton<IRenewalWindows>(windows);
            services.AddSingleton<IHoldingStore>(sp => calls.Timed<IHoldingStore>(ActivatorUtilities.CreateInstance<CosmosHoldingStore>(sp)));
            services.AddSingleton<IReceiptStore>(sp => calls.Timed<IReceiptStore>(ActivatorUtilities.CreateInstance<CosmosReceiptStore>(sp)));
            services.AddSingleton<IProgramStore>(sp => calls.Timed<IProgramStore>(ActivatorUtilities.CreateInstance<CosmosProgramStore>(sp)));
            services.AddSingleton<IStatusListStore>(sp => calls.Timed<IStatusListStore>(ActivatorUtilities.CreateInstance<CosmosStatusListStore>(sp)));
            services.AddSingleton<IComplianceTallies>(sp => calls.Timed<IComplianceTallies>(ActivatorUtilities.CreateInstance<CosmosComplianceTallies>(sp)));
            services.AddSingleton<IPurgeLog>(sp => calls.Timed<IPurgeLog>(ActivatorUtilities.CreateInstance<CosmosPurgeLog>(sp)));
            services.AddSingleton<IIssuanceLedgerStore>(sp => calls.Timed<IIssuanceLedgerStore>(ActivatorUtilities.CreateInstance<CosmosIssuanceLedgerStore>(sp)));
            services.AddSingleton<ICohortRunStore>(sp => calls.Timed<ICohortRunStore>(ActivatorUtilities.CreateInstance<CosmosCohortRunStore>(sp)));
            services.AddSingleton<ICredentialStore>(sp => new CountedCredentialStore(
                new EachCreateCounted(calls.Timed<ICredentialStore>(ActivatorUtilities.CreateInstance<CosmosCredentialStore>(sp))), sp.GetRequiredService<ComplianceProjection>()));
        });
        var programId = await api.CreateProgramAsync();
        var cohort = Cohort(count, "bench");
        Console.WriteLine($"Cohort of {count:N0} learners: {cohort.Length / 1024.0 / 1024.0:N1} MiB of JSON; {Concurrency} creates at a time ({CohortRunOrchestrator.DefaultParallelism} batches of {CohortIntake.BatchSize}, {Concurrently.BatchCalls} creates at once each)");

        // A Functions worker issues for months; a fresh process spends its first minutes of issuance
        // largely on tiered JIT compilation (tier-0 code, then instrumented, then optimised), which is
        // the process starting, not issuance. Warm-up cohorts on other programs run until a round
        // spends under 5% of its time compiling, as a long-running worker would.
        for (var round = 1; round <= MaxWarmUpRounds; round++)
        {
            var jitBefore = JitInfo.GetCompilationTime();
            var (warm, warmSeconds) = await RunAsync(api, await api.CreateProgramAsync(), Cohort(Math.Min(count, WarmUpLearners), $"warm{round}"));
            var jitShare = (JitInfo.GetCompilationTime() - jitBefore).TotalSeconds / warmSeconds;
            Console.WriteLine($"warm-up {round} on another program: {Summary(warm)} in {warmSeconds:N1} s, {jitShare:P1} of it compiling");
            if (jitShare < 0.05) break;
        }
        var jitAtStart = JitInfo.GetCompilationTime();
        Console.WriteLine($"bulk issuance of {count:N0} learners: started");

        calls.Clear();
        var before = await api.CountAsync(CosmosLayout.Credentials);
        var (cpuAtStart, allocatedAtStart, pausedAtStart) = (ProcessCpu(), GC.GetTotalAllocatedBytes(), GC.GetTotalPauseDuration());
        var collectionsAtStart = Enumerable.Range(0, 3).Select(GC.CollectionCount).ToArray();
        using var allocations = new AllocationTicks { Sampling = true };
        var (first, firstSeconds) = await RunAsync(api, programId, cohort);
        allocations.Sampling = false;
        var issued = Math.Max(1, first.GetProperty("issued").GetInt32());
        var cpuPerCredential = (ProcessCpu() - cpuAtStart).TotalMilliseconds / issued;
        var (allocatedPerCredential, pausedSeconds) = ((GC.GetTotalAllocatedBytes() - allocatedAtStart) / issued, (GC.GetTotalPauseDuration() - pausedAtStart).TotalSeconds);
        var collections = string.Join(", ", Enumerable.Range(0, 3).Select(g => $"{GC.CollectionCount(g) - collectionsAtStart[g]} of gen {g}"));
        var jitSeconds = (JitInfo.GetCompilationTime() - jitAtStart).TotalSeconds;
        var credentials = await api.CountAsync(CosmosLayout.Credentials);
        var perSecond = issued / firstSeconds;
        Console.WriteLine($"bulk issuance: {Summary(first)} in {firstSeconds:N1} s = {perSecond:N1} credentials/s; {credentials - before:N0} credentials stored; {jitSeconds:N1} s of it compiling");
        // The run's own calls only: the counts above read the container outside the stores.
        foreach (var line in calls.Report(per: issued)) Console.WriteLine(line);
        // The in-memory Durable backend runs as many activities at once as the machine has cores, so
        // fewer batches than the orchestration starts may be running: the baseline is also taken at
        // the concurrency the run achieved.
        var achieved = Math.Max(1, (int)Math.Round(calls.MeanInFlight(TimeSpan.FromSeconds(firstSeconds))));
        Console.WriteLine($"  store calls in flight on average: {calls.MeanInFlight(TimeSpan.FromSeconds(firstSeconds)):N1}");
        // The local Cosmos server shares the machine's cores: what this process spends per credential the server cannot.
        Console.WriteLine($"  this process: {cpuPerCredential:N3} ms of CPU and {allocatedPerCredential / 1024.0:N1} KiB allocated per credential; {pausedSeconds:N2} s paused for GC ({collections})");
        Console.WriteLine($"  allocated most, sampled: {string.Join("; ", allocations.Top(8).Select(t => $"{t.Type} {t.Bytes / 1024.0 / issued:N1} KiB"))} per credential");

        var (rerun, rerunSeconds) = await RunAsync(api, programId, cohort);
        var created = await api.CountAsync(CosmosLayout.Credentials) - credentials;
        Console.WriteLine($"re-run of the same cohort: {Summary(rerun)} in {rerunSeconds:N1} s; credentials created: {created}");

        foreach (var (concurrency, name) in new[] { (Concurrency, "the orchestration's"), (achieved, "the run's achieved") }.DistinctBy(c => c.Item1))
        {
            var (cpuBefore, allocatedBefore) = (ProcessCpu(), GC.GetTotalAllocatedBytes());
            var rawPerSecond = await RawCreatesAsync(api, count, concurrency, prefix: $"raw{concurrency}");
            var (rawCpu, rawAllocated) = ((ProcessCpu() - cpuBefore).TotalMilliseconds / count, (GC.GetTotalAllocatedBytes() - allocatedBefore) / count);
            Console.WriteLine($"raw SDK CreateItemStreamAsync of {count:N0} credential documents, {concurrency} at a time ({name} concurrency): {rawPerSecond:N1} creates/s, {rawCpu:N3} ms of this process's CPU and {rawAllocated / 1024.0:N1} KiB allocated each; ratio bulk / raw {perSecond / rawPerSecond:N3} (goal 0.7)");
        }
    }

    private static byte[] Cohort(int count, string prefix)
    {
        var completedAt = DateTimeOffset.UtcNow.AddDays(-1);
        return JsonSerializer.SerializeToUtf8Bytes(new
        {
            learners = Enumerable.Range(1, count).Select(i => new
            {
                externalId = $"{prefix}-{i:D6}", fullLegalName = $"Learner {i}", email = $"{prefix}{i}@example.org", completedAt, score = 88, cohort = "2026-Q4",
            }),
        }, new JsonSerializerOptions(JsonSerializerDefaults.Web));
    }

    private static TimeSpan ProcessCpu()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }

    private static string Summary(JsonElement status)
        => string.Join(", ", new[] { "done", "issued", "renewed", "alreadyHeld", "failed", "unfinished" }.Select(f => $"{f} {status.GetProperty(f).GetInt32():N0}"));

    private static async Task<(JsonElement Status, double Seconds)> RunAsync(ApiHost api, string programId, byte[] cohort)
    {
        var watch = Stopwatch.StartNew();
        var request = api.Request(HttpMethod.Post, $"/api/programs/{programId}/issuances", role: Role.ProgramManager);
        request.Content = new ByteArrayContent(cohort) { Headers = { ContentType = new("application/json") } };
        using var response = await api.Client.SendAsync(request);
        if (response.StatusCode != HttpStatusCode.Accepted) throw new InvalidOperationException($"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        var location = response.Headers.Location!.ToString();
        var reported = TimeSpan.Zero;
        while (true)
        {
            using var read = await api.SendAsync(HttpMethod.Get, location, role: Role.Auditor);
            var status = await ApiHost.ReadJsonAsync(read);
            if (status.GetProperty("finished").GetBoolean()) return (status, watch.Elapsed.TotalSeconds);
            // A run of minutes says how far it is, so a run cut short still tells its rate.
            if (watch.Elapsed - reported >= TimeSpan.FromMinutes(1))
            {
                reported = watch.Elapsed;
                Console.WriteLine($"  after {watch.Elapsed.TotalSeconds:N0} s: {Summary(status)}");
            }
            await Task.Delay(TimeSpan.FromSeconds(1));
        }
    }

    /// <summary>Documents shaped like the credentials the run stored (one of them, under new ids), written straight through the SDK.</summary>
    private static async Task<double> RawCreatesAsync(ApiHost api, int count, int concurrency, string prefix)
    {
        var container = api.Services.GetRequiredService<CredentialDatabase>().Container(CosmosLayout.Credentials);
        using var iterator = container.GetItemQueryStreamIterator("SELECT TOP 1 * FROM c", requestOptions: new QueryRequestOptions { MaxItemCount = 1 });
        JsonObject? template = null;
        while (template is null && iterator.HasMoreResults)
        {
            using var page = await iterator.ReadNextAsync();
            template = JsonNode.Parse(page.Content)!["Documents"]!.AsArray().FirstOrDefault()?.AsObject();
        }
        foreach (var system in new[] { "_rid", "_self", "_etag", "_attachments", "_ts" }) template!.Remove(system);
        var watch = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (i, ct) =>
        {
            var document = template!.DeepClone().AsObject();
            var id = $"{prefix}-{i:D7}";
            document["id"] = id;
            // As the app writes: answered without the document (EnableContentResponseOnWrite = false).
            using var created = await container.CreateItemStreamAsync(new MemoryStream(Encoding.UTF8.GetBytes(document.ToJsonString())), new PartitionKey(id),
                new ItemRequestOptions { EnableContentResponseOnWrite = false }, ct);
            created.EnsureSuccessStatusCode();
        });
        return count / watch.Elapsed.TotalSeconds;
    }
}
