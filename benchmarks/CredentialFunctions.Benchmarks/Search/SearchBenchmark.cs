using CredentialFunctions.Application.Ports;
using System.Diagnostics;
using System.Globalization;
using Azure.Identity;
using CredentialFunctions.Adapters.Cosmos;
using CredentialFunctions.Application.Access;
using CredentialFunctions.Application.Reports;
using CredentialFunctions.Application.Search;
using CredentialFunctions.Domain.Credentials;
using CredentialFunctions.Domain.Programs;
using CredentialFunctions.Domain.Reports;
using CredentialFunctions.LocalHost;
using CredentialFunctions.Testing.Anchors;
using CredentialFunctions.Testing.Builders;

namespace CredentialFunctions.Benchmarks.Search;

/// <summary>
/// Over N credentials (default 100,000) in the local Cosmos server, written through the store the app
/// composes (search fields, and the compliance tallies beside each write) with concurrent creates:
/// the compliance report by each grouping against a raw COUNT over the same container, the first
/// page's p50 and p99 for three typical searches and a learner's whole history, then an export's rows
/// per second and the managed heap's peak while it streams. An optional second argument sets the
/// timed runs of each (default 30): at 100,000 each of the local server's queries scans the container.
/// </summary>
internal static class SearchBenchmark
{
    private const int Concurrency = 32;

    public static async Task RunAsync(string[] args)
    {
        var count = args.FirstOrDefault() is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : 100_000;
        var runs = args.Skip(1).FirstOrDefault() is { } runsText ? int.Parse(runsText, CultureInfo.InvariantCulture) : 30;
        await using var server = await LocalCosmosServer.StartAsync();
        var options = new CosmosOptions { AccountEndpoint = server.Endpoint.ToString(), AccountKey = LocalCosmosServer.AccountKey, DatabaseName = "search-benchmark" };
        using var client = CosmosClientFactory.Create(options, new DefaultAzureCredential());
        var database = new CredentialDatabase(client, options);
        await database.EnsureCreatedAsync(CancellationToken.None);
        var tallies = new CosmosComplianceTallies(database);
        var store = new CountedCredentialStore(new CosmosCredentialStore(database, TestAnchors.Anchoring), new ComplianceProjection(tallies));
        var now = DateTimeOffset.UtcNow;

        var programs = Enumerable.Range(0, 20).Select(p => CertificationProgram.Create($"program-{p}", A.Definition(), now.AddYears(-3), "admin")).ToArray();
        string[] names = ["Ada", "Grace", "Alan", "Katherine", "Edsger", "Barbara", "Donald", "Frances"];
        string[] teams = ["Blue", "Red", "Green", "Amber", "Violet"];
        var seeding = Stopwatch.StartNew();
        var seeded = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (i, ct) =>
        {
            var random = new Random(i);
            var issuedAt = now.AddMinutes(-random.Next(0, 60 * 24 * 700));
            var holder = new LearnerIdentity($"lms:{i % (count / 3 + 1)}", $"{names[i % names.Length]} Learner{i}", $"learner{i}@example.org", $"{i}", null);
            var credential = A.Credential(programs[i % programs.Length], issuedAt, seed: i, holder: holder,
                placement: new Placement(teams[random.Next(teams.Length)], $"20{random.Next(24, 27)}-A", $"Site {random.Next(1, 30)}"));
            if (!await store.TryCreateAsync(credential, ct)) throw new InvalidOperationException($"Credential {credential.CertificateId} exists twice.");
            if (Interlocked.Increment(ref seeded) % 10_000 == 0) Console.WriteLine($"  {seeded:N0} seeded after {seeding.Elapsed.TotalSeconds:N0} s");
        });
        Console.WriteLine($"Seeded {count:N0} credentials in {seeding.Elapsed.TotalSeconds:N1} s ({count / seeding.Elapsed.TotalSeconds:N0} creates/s, {Concurrency} at a time)");

        var search = new CosmosCredentialSearch(database);
        var service = new CredentialSearchService(search, new DiscardingAccessLog(), TimeProvider.System);
        var auditor = Caller.User("benchmark", new HashSet<Role> { Role.Auditor }, null);

        // The compliance report sums maintained tallies; the baseline is the cheapest possible scan, a bare count of the records.
        var reports = new ComplianceReports(tallies, search, new CosmosReceiptStore(database), new DiscardingAccessLog(), TimeProvider.System);
        var credentials = database.Container(CosmosLayout.Credentials);
        var countTimings = new List<double>();
        var counted = 0;
        for (var run = 0; run < runs; run++)
        {
            var watch = Stopwatch.StartNew();
            using var iterator = credentials.GetItemQueryIterator<int>("SELECT VALUE COUNT(1) FROM c");
            counted = 0;
            while (iterator.HasMoreResults) counted += (await iterator.ReadNextAsync()).Sum();
            countTimings.Add(watch.Elapsed.TotalMilliseconds);
        }
        Console.WriteLine($"SELECT VALUE COUNT(1) over the credentials ({counted:N0}): p50 {Percentile(countTimings, 50):N1} ms, p99 {Percentile(countTimings, 99):N1} ms over {runs} runs");
        foreach (var dimension in Enum.GetValues<ReportDimension>())
        {
            var timings = new List<double>();
            ComplianceReport? report = null;
            for (var run = 0; run < runs; run++)
            {
                var watch = Stopwatch.StartNew();
                report = await reports.IssueAsync(new ComplianceFilters(dimension, null, null), auditor, new Dictionary<string, string?>(), CancellationToken.None);
                timings.Add(watch.Elapsed.TotalMilliseconds);
            }
            var total = report!.Total.Counts;
            Console.WriteLine($"compliance report by {dimension.Name()} ({report.Groups.Count} groups, {total["active"] + total["inGrace"] + total["lapsed"] + total["suspended"] + total["revoked"] + total["superseded"]:N0} credentials): " +
                $"p50 {Percentile(timings, 50):N1} ms, p99 {Percentile(timings, 99):N1} ms; p50 ratio to the count {Percentile(timings, 50) / Percentile(countTimings, 50):N2}");
        }

        var searches = new (string Name, Dictionary<string, string?> Parameters)[]
        {
            ("program + status, by expiry", new() { ["programId"] = "program-3", ["status"] = "inRenewalWindow,inGrace", ["sort"] = "expiresAt" }),
            ("name prefix, by name", new() { ["name"] = "grace learner1", ["sort"] = "legalName" }),
            ("team + cohort + completion range, newest completion first", new() { ["team"] = "Blue", ["cohort"] = "2025-A", ["completedFrom"] = now.AddDays(-365).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), ["sort"] = "-completedAt" }),
        };
        foreach (var (name, parameters) in searches)
        {
            var timings = new List<double>();
            var items = 0;
            for (var run = 0; run < runs; run++)
            {
                var watch = Stopwatch.StartNew();
                items = (await service.SearchAsync(parameters, auditor, CancellationToken.None)).Items.Count;
                timings.Add(watch.Elapsed.TotalMilliseconds);
            }
            Console.WriteLine($"search '{name}': first page of {items}, p50 {Percentile(timings, 50):N1} ms, p99 {Percentile(timings, 99):N1} ms over {runs} runs");
        }
        var history = new List<double>();
        var held = 0;
        for (var run = 0; run < runs; run++)
        {
            var watch = Stopwatch.StartNew();
            held = (await service.HistoryAsync($"lms:{run}", auditor, CancellationToken.None)).Credentials.Count;
            history.Add(watch.Elapsed.TotalMilliseconds);
        }
        Console.WriteLine($"a learner's whole history ({held} credentials): p50 {Percentile(history, 50):N1} ms, p99 {Percentile(history, 99):N1} ms over {runs} runs");

        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        var peak = 0L;
        using var sampler = new Timer(_ => peak = Math.Max(peak, GC.GetTotalMemory(false) - baseline), null, 0, 20);
        var exportWatch = Stopwatch.StartNew();
        var export = await service.ExportAsync(new Dictionary<string, string?>(), auditor, CancellationToken.None);
        var sink = new CountingRows();
        await using (var writer = new StreamWriter(sink))
            await CredentialCsv.WriteAsync(writer, export.Rows, export.At, CancellationToken.None);
        exportWatch.Stop();
        Console.WriteLine($"export of every credential: {sink.Lines - 1:N0} rows, {sink.Length / 1024.0 / 1024.0:N1} MiB in {exportWatch.Elapsed.TotalSeconds:N1} s = {(sink.Lines - 1) / exportWatch.Elapsed.TotalSeconds:N0} rows/s; managed heap peak {peak / 1024.0 / 1024.0:N1} MiB above the {baseline / 1024.0 / 1024.0:N1} MiB before it");
    }

    private static double Percentile(List<double> values, int percentile)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(percentile / 100.0 * sorted.Count) - 1)];
    }

    private sealed class DiscardingAccessLog : IAccessLog
    {
        public Task RecordAsync(Caller caller, string resource, string? query, CancellationToken cancellationToken) => Task.CompletedTask;
    }

    /// <summary>A response body that keeps nothing: it counts bytes and lines.</summary>
    private sealed class CountingRows : Stream
    {
        public long Lines { get; private set; }
        public override long Length => _length;
        private long _length;
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Position { get => _length; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            _length += buffer.Length;
            Lines += buffer.Count((byte)'\n');
        }
    }
}
