using CredentialFunctions.Application.Ports;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using CredentialFunctions.Application;
using CredentialFunctions.Application.Verification;
using CredentialFunctions.Domain.Credentials;
using CredentialFunctions.Testing.Anchors;
using CredentialFunctions.Testing.Stores;

namespace CredentialFunctions.Benchmarks.Verification;

/// <summary>
/// What verification costs besides the store round trip: parsing and checking the id, recomputing
/// the audit chain and checking its anchor, deriving the status, and writing the JSON answer. The store here answers from
/// memory, so the numbers are the handler's own.
/// </summary>
[MemoryDiagnoser]
public class VerificationHandlerBenchmarks
{
    private VerificationService _service = null!;
    private string _id = null!;

    /// <summary>0: just issued; 10: a decade of yearly renewals, eleven audit entries to re-hash.</summary>
    [Params(0, 10)]
    public int Renewals { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var credential = Sample.Credential(Renewals);
        _id = credential.CertificateId;
        // Sealed as the Cosmos store seals every write, so the anchor check is measured too.
        var store = new InMemoryCredentialStore();
        store.TryCreateAsync(TestAnchors.Anchoring.SealAsync(credential, CancellationToken.None).GetAwaiter().GetResult(), CancellationToken.None).GetAwaiter().GetResult();
        _service = new VerificationService(store, TestAnchors.Anchoring, TimeProvider.System);
    }

    [Benchmark]
    public async Task<int> VerifyAndSerialize()
    {
        var result = await _service.VerifyAsync(_id, CancellationToken.None);
        return JsonSerializer.SerializeToUtf8Bytes(result, CredentialJson.Options).Length;
    }

    [Benchmark]
    public CertificateId.ParseFailure ParseId() => CertificateId.TryParse(_id, out _);
}
