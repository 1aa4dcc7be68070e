using System.Security.Cryptography;
using CredentialFunctions.Application.Ports;

namespace CredentialFunctions.Adapters;

/// <summary>Numbers from the operating system's cryptographic generator: a status list index must not be predictable from the ones before it.</summary>
public sealed class CryptoRandomSource : IRandomSource
{
    public int Next(int maxExclusive) => RandomNumberGenerator.GetInt32(maxExclusive);
}
