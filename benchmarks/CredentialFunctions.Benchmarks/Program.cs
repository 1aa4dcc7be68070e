using BenchmarkDotNet.Running;

// dotnet run -c Release --project benchmarks/CredentialFunctions.Benchmarks -- --filter '*' [--job short]
BenchmarkSwitcher.FromAssembly(typeof(CredentialFunctions.Benchmarks.Verification.Sample).Assembly).Run(args);
