using CredentialFunctions.Benchmarks.Renewal;

// `dotnet run -c Release --project benchmarks/CredentialFunctions.Benchmarks -- renewal [windows]`
var harnesses = new Dictionary<string, Func<string[], Task>>(StringComparer.OrdinalIgnoreCase)
{
    ["renewal"] = RenewalWindowBenchmark.RunAsync,
};
if (args.FirstOrDefault() is not { } name || !harnesses.TryGetValue(name, out var run))
{
    Console.Error.WriteLine($"usage: <{string.Join('|', harnesses.Keys)}> [options]");
    return 2;
}
await run(args[1..]);
return 0;
