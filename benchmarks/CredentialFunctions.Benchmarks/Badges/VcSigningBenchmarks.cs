using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using CredentialFunctions.Adapters.Signing;
using CredentialFunctions.Application.Badges;
using CredentialFunctions.Application.Signing;
using CredentialFunctions.Benchmarks.Verification;

namespace CredentialFunctions.Benchmarks.Badges;

/// <summary>
/// Signing a credential's VC-JWT with the local development key against the floor: a bare
/// <see cref="RSA.SignData(byte[], HashAlgorithmName, RSASignaturePadding)"/> over the same
/// signing input, in one run, so the ratio is what the JWS assembly (JSON, base64url, hashing)
/// adds to the RSA operation. In Azure the RSA operation is Key Vault's, a network call, instead.
/// </summary>
[MemoryDiagnoser]
public class VcSigningBenchmarks
{
    private RSA _rsa = null!;
    private DevelopmentIssuerKeys _keys = null!;
    private VcJwtSigner _signer = null!;
    private JsonObject _claims = null!;
    private byte[] _signingInput = null!;

    [GlobalSetup]
    public void Setup()
    {
        _rsa = RSA.Create(2048);
        _keys = new DevelopmentIssuerKeys(new SigningOptions { DevelopmentKey = _rsa.ExportPkcs8PrivateKeyPem() });
        _signer = new VcJwtSigner(_keys);
        var publicBase = new Uri("https://func-abc.azurewebsites.net");
        _claims = OpenBadgeCredential.Build(Sample.Credential(renewals: 0), IssuerProfile.At(publicBase, "Safety Board"), publicBase, []);
        var jwt = _signer.SignAsync(VcJwtSigner.VerifiableCredentialType, _claims, CancellationToken.None).GetAwaiter().GetResult();
        _signingInput = Encoding.ASCII.GetBytes(jwt[..jwt.LastIndexOf('.')]);
    }

    [Benchmark(Baseline = true)]
    public byte[] BareRsaSignData() => _rsa.SignData(_signingInput, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

    [Benchmark]
    public Task<string> SignVcJwt() => _signer.SignAsync(VcJwtSigner.VerifiableCredentialType, _claims, CancellationToken.None);

    [GlobalCleanup]
    public void Cleanup()
    {
        _keys.Dispose();
        _rsa.Dispose();
    }
}
