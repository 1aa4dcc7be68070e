using CredentialFunctions.Application.Access;
using CredentialFunctions.Application.Ports;
using CredentialFunctions.Domain;
using CredentialFunctions.Domain.Credentials;

namespace CredentialFunctions.Application.Verification;

/// <summary>The full record, for staff and for the learner it belongs to.</summary>
public sealed class CredentialRecords(ICredentialStore credentials)
{
    public async Task<Versioned<Credential>> GetAsync(string text, Caller caller, CancellationToken cancellationToken)
    {
        var id = VerificationService.ParseOrThrow(text);
        var stored = await credentials.GetAsync(id.Value, cancellationToken)
            ?? throw new NotFoundException("Credential", id.Value);
        if (!caller.IsStaff && !caller.Owns(stored.Value))
            throw new AccessDeniedException("Learners may read only their own credentials.");
        return stored;
    }
}
