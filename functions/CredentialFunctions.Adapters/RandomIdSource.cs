using System.Security.Cryptography;
using CredentialFunctions.Application.Ports;
using CredentialFunctions.Domain.Credentials;

namespace CredentialFunctions.Adapters;

/// <summary>Ids from the operating system's cryptographic generator: certificate ids must be unguessable.</summary>
public sealed class RandomIdSource : IIdSource
{
    public CertificateId NewCertificateId()
    {
        Span<byte> bytes = stackalloc byte[CertificateId.RandomBytes];
        RandomNumberGenerator.Fill(bytes);
        return CertificateId.FromRandomBytes(bytes);
    }

    public string NewId(string prefix) => prefix + NewCertificateId().Value.Replace("-", "")[..12];
}
