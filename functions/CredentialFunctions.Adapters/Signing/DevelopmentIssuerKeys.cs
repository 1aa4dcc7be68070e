using System.Security.Cryptography;
using CredentialFunctions.Application.Signing;

namespace CredentialFunctions.Adapters.Signing;

/// <summary>
/// The issuer's keys from the settings, for local development and tests: the development key signs,
/// the retired ones are published beside it. In process, so signing costs one RSA operation.
/// </summary>
public sealed class DevelopmentIssuerKeys : IIssuerKeys, IDisposable
{
    private readonly RSA _signingKey;
    private readonly RsaPublicKey _current;
    private readonly IReadOnlyList<RsaPublicKey> _published;

    public DevelopmentIssuerKeys(SigningOptions options)
    {
        _signingKey = Import(options.DevelopmentKey ?? throw new InvalidOperationException($"Set {SigningOptions.Section}__{nameof(SigningOptions.DevelopmentKey)}."));
        if (_signingKey.KeySize < 2048) throw new InvalidOperationException($"The development signing key has {_signingKey.KeySize} bits; RS256 needs at least 2048.");
        _current = PublicHalf(_signingKey);
        _published = [_current, .. options.RetiredDevelopmentKeys.Select(pem =>
        {
            using var retired = Import(pem);
            return PublicHalf(retired);
        }).Where(k => k.KeyId != _current.KeyId)];
    }

    public Task<RsaPublicKey> CurrentAsync(CancellationToken cancellationToken) => Task.FromResult(_current);

    public Task<IReadOnlyList<RsaPublicKey>> PublishedAsync(CancellationToken cancellationToken) => Task.FromResult(_published);

    public Task<byte[]> SignDigestAsync(string keyId, ReadOnlyMemory<byte> sha256Digest, CancellationToken cancellationToken)
        => keyId == _current.KeyId
            ? Task.FromResult(_signingKey.SignHash(sha256Digest.Span, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))
            : throw new UnknownIssuerKeyException(keyId); // a retired key verifies; it never signs again

    private static RSA Import(string pem)
    {
        var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(pem);
            return rsa;
        }
        catch (ArgumentException e)
        {
            rsa.Dispose();
            throw new InvalidOperationException("A development signing key is not an RSA PEM.", e);
        }
    }

    private static RsaPublicKey PublicHalf(RSA rsa)
    {
        var parameters = rsa.ExportParameters(includePrivateParameters: false);
        return new RsaPublicKey(parameters.Modulus!, parameters.Exponent!);
    }

    public void Dispose() => _signingKey.Dispose();
}
