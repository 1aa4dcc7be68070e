using System.Collections.Concurrent;
using CredentialFunctions.Application.Ports;
using CredentialFunctions.Domain.Programs;

namespace CredentialFunctions.Application.Verification;

/// <summary>A verified credential with the certificate template of the program version it was issued under.</summary>
public sealed record PrintedCredential(VerifiedCredential Verified, CertificateTemplate Template);

/// <summary>
/// What the verification page, the renewal page and the PDF print: the verified credential and
/// its program version's template. A program version never changes once written, so each is read
/// from the store once per instance and the pages stay one point read, like the JSON answer.
/// </summary>
public sealed class PrintedCredentials(VerificationService verification, IProgramStore programs)
{
    private readonly ConcurrentDictionary<(string ProgramId, int Version), CertificateTemplate> _templates = new();

    public async Task<PrintedCredential> ReadAsync(string certificateId, CancellationToken cancellationToken)
    {
        var verified = await verification.ReadAsync(certificateId, cancellationToken);
        if (verified.Credential is not { } c) return new PrintedCredential(verified, CertificateTemplate.Default);
        var key = (c.Program.ProgramId, c.Program.Version);
        if (!_templates.TryGetValue(key, out var template))
        {
            var program = await programs.GetVersionAsync(key.ProgramId, key.Version, cancellationToken);
            template = _templates.GetOrAdd(key, program?.Definition.CertificateTemplate ?? CertificateTemplate.Default);
        }
        return new PrintedCredential(verified, template);
    }
}
