using CredentialFunctions.Application.Issuance;
using CredentialFunctions.Application.Ports;
using CredentialFunctions.Application.Search;

namespace CredentialFunctions.Application.Hr;

/// <summary>
/// Which learner a person HR provisions is. By the first key that finds one: the employee number
/// (a credential whose holder's hrId it is), else the external id (the LMS's id of the learner,
/// which names the learner whether or not a credential exists yet: lms:{externalId}), else the
/// email (a credential whose holder's email it is, case-insensitively). A link once made is kept:
/// a learner's records do not hop to another learner because HR edited a key.
/// </summary>
public sealed class LearnerLinking(ICredentialSearch credentials, TimeProvider clock)
{
    public async Task<string?> LinkAsync(HrFacts facts, string? linked, CancellationToken cancellationToken)
    {
        if (linked is not null) return linked;
        if (facts.EmployeeNumber is { } employeeNumber && await HolderOfAsync(new CredentialFilter(HrId: employeeNumber), cancellationToken) is { } byEmployeeNumber)
            return byEmployeeNumber;
        if (facts.ExternalId is { } externalId) return IssuanceService.LearnerIdFor(externalId);
        return facts.Email is { } email ? await HolderOfAsync(new CredentialFilter(Email: SearchText.Fold(email)), cancellationToken) : null;
    }

    private async Task<string?> HolderOfAsync(CredentialFilter filter, CancellationToken cancellationToken)
    {
        var page = await credentials.SearchAsync(new CredentialQuery(filter, SearchSort.Default, 1), clock.GetUtcNow(), null, cancellationToken);
        return page.Items is [var credential, ..] ? credential.Holder.LearnerId : null;
    }
}
