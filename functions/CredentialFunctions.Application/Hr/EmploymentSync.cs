using CredentialFunctions.Application.Access;
using CredentialFunctions.Application.Learners;
using CredentialFunctions.Application.Ports;
using CredentialFunctions.Application.Renewal;
using CredentialFunctions.Application.Search;
using CredentialFunctions.Domain.Credentials;
using CredentialFunctions.Domain.Learners;

namespace CredentialFunctions.Application.Hr;

/// <summary>
/// Brings a learner's records in line with what HR says of them: their supervisor from their
/// manager, and their credentials. A mover's open, tracked credentials get the new team and job site
/// (each an audited, ETag-guarded write); a leaver's open, tracked credentials stop being tracked for
/// the employer (<see cref="CredentialLifecycle.EndTrackingAsync"/>: audited, announced, no more
/// reminders, history kept). Everything is judged from the state, not from the request, so a request
/// repeated, or retried after a failure half-way, does what is left and nothing twice.
/// </summary>
public sealed class EmploymentSync(ICredentialSearch search, CredentialUpdater updater, CredentialLifecycle lifecycle, SupervisionService supervision, TimeProvider clock)
{
    /// <summary>
    /// Makes <paramref name="supervisorId"/> the learner's supervisor for this manager in place of
    /// <paramref name="previous"/>. Assign first, so the learner is never left without one between the two writes.
    /// </summary>
    public async Task ChangeSupervisorAsync(string learnerId, string? previous, string? supervisorId, Caller caller, CancellationToken cancellationToken)
    {
        if (supervisorId is not null) await supervision.AssignAsync(learnerId, supervisorId, caller, cancellationToken);
        if (previous is not null && previous != supervisorId && (await supervision.GetAsync(learnerId, cancellationToken)).IsSupervisedBy(previous))
            await supervision.UnassignAsync(learnerId, previous, caller, cancellationToken);
    }

    public async Task ApplyToCredentialsAsync(string learnerId, Employment employment, Caller caller, CancellationToken cancellationToken)
    {
        foreach (var credential in await CredentialsOfAsync(learnerId, cancellationToken))
        {
            if (employment.EndsTrackingOf(credential))
            {
                await lifecycle.EndTrackingAsync(credential.CertificateId, Employment.LeaverReason, caller, cancellationToken);
            }
            else if (employment.MovesWith(credential) && employment.PlacementFrom(credential.Placement) != credential.Placement)
            {
                var now = clock.GetUtcNow();
                await updater.UpdateAsync(credential.CertificateId, c => employment.MovesWith(c)
                    ? c.ChangePlacement(employment.PlacementFrom(c.Placement), now, caller.AuditName, Employment.MoverReason)
                    : null, cancellationToken);
            }
        }
    }

    private async Task<List<Credential>> CredentialsOfAsync(string learnerId, CancellationToken cancellationToken)
    {
        var query = new CredentialQuery(new CredentialFilter(LearnerId: learnerId), SearchSort.Default, CredentialQuery.MaxPageSize);
        var (credentials, at) = (new List<Credential>(), clock.GetUtcNow());
        string? token = null;
        do
        {
            var page = await search.SearchAsync(query, at, token, cancellationToken);
            credentials.AddRange(page.Items);
            token = page.ContinuationToken;
        } while (token is not null);
        return credentials;
    }
}
