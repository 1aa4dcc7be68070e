using BenchmarkDotNet.Running;
using CredentialFunctions.Benchmarks.Renewal;
using CredentialFunctions.Benchmarks.Search;

// `dotnet run -c Release --project benchmarks/CredentialFunctions.Benchmarks -- renewal [windows]` or `-- search [credentials] [runs]`: the timed harnesses;
// `... -- --filter '*Verification*' [--job short --inProcess]`: the BenchmarkDotNet benchmarks (in process: BenchmarkDotNet's generated project did not build on this machine).
var harnesses = new Dictionary<string, Func<string[], Task>>(StringComparer.OrdinalIgnoreCase)
{
    ["renewal"] = RenewalWindowBenchmark.RunAsync,
    ["search"] = SearchBenchmark.RunAsync,
};
if (args.FirstOrDefault() is { } name && harnesses.TryGetValue(name, out var run))
{
    await run(args[1..]);
    return 0;
}
BenchmarkSwitcher.FromAssembly(typeof(RenewalWindowBenchmark).Assembly).Run(args);
return 0;
