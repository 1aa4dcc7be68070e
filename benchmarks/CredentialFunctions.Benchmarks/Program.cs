using BenchmarkDotNet.Running;
using CredentialFunctions.Benchmarks.Renewal;

// `dotnet run -c Release --project benchmarks/CredentialFunctions.Benchmarks -- renewal [windows]`: the timed harness;
// `... -- --filter '*Verification*' [--job short]`: the BenchmarkDotNet benchmarks.
var harnesses = new Dictionary<string, Func<string[], Task>>(StringComparer.OrdinalIgnoreCase)
{
    ["renewal"] = RenewalWindowBenchmark.RunAsync,
};
if (args.FirstOrDefault() is { } name && harnesses.TryGetValue(name, out var run))
{
    await run(args[1..]);
    return 0;
}
BenchmarkSwitcher.FromAssembly(typeof(RenewalWindowBenchmark).Assembly).Run(args);
return 0;
