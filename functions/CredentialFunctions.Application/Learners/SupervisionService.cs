using CredentialFunctions.Application.Access;
using CredentialFunctions.Application.Ports;
using CredentialFunctions.Domain;
using CredentialFunctions.Domain.Learners;

namespace CredentialFunctions.Application.Learners;

/// <summary>Assigns and unassigns supervisors, and answers whether a caller supervises a learner.</summary>
public sealed class SupervisionService(ISupervisionStore store, TimeProvider clock)
{
    private const int MaxAttempts = 10;

    public async Task<LearnerSupervisors> GetAsync(string learnerId, CancellationToken cancellationToken)
        => (await store.GetAsync(LearnerSupervisors.RequireId("learnerId", learnerId), cancellationToken))?.Value ?? LearnerSupervisors.None(learnerId);

    public Task<LearnerSupervisors> AssignAsync(string learnerId, string supervisorId, Caller caller, CancellationToken cancellationToken)
        => UpdateAsync(learnerId, s => s.Assign(supervisorId, clock.GetUtcNow(), caller.AuditName), cancellationToken);

    public Task<LearnerSupervisors> UnassignAsync(string learnerId, string supervisorId, Caller caller, CancellationToken cancellationToken)
        => UpdateAsync(learnerId, s => s.Unassign(supervisorId, clock.GetUtcNow(), caller.AuditName), cancellationToken);

    /// <summary>Whether the caller, by their token's subject, is one of the learner's supervisors.</summary>
    public async Task<bool> SupervisesAsync(Caller caller, string learnerId, CancellationToken cancellationToken)
        => caller.Subject is { } subject && (await store.GetAsync(learnerId, cancellationToken))?.Value.IsSupervisedBy(subject) == true;

    /// <summary>Read, change, write with the ETag (or create the learner's first document); on a conflict, read again and re-apply.</summary>
    private async Task<LearnerSupervisors> UpdateAsync(string learnerId, Func<LearnerSupervisors, LearnerSupervisors?> change, CancellationToken cancellationToken)
    {
        LearnerSupervisors.RequireId("learnerId", learnerId);
        for (var attempt = 1; ; attempt++)
        {
            var current = await store.GetAsync(learnerId, cancellationToken);
            var before = current?.Value ?? LearnerSupervisors.None(learnerId);
            if (change(before) is not { } next) return before;
            bool written;
            try
            {
                written = current is null
                    ? await store.TryCreateAsync(next, cancellationToken)
                    : await ReplaceAsync(next, current.ETag, cancellationToken);
            }
            catch (ConcurrencyConflictException) when (attempt < MaxAttempts)
            {
                written = false;
            }
            if (written) return next;
            if (attempt == MaxAttempts) throw new ConcurrencyConflictException($"The supervisors of {learnerId} kept changing; read them again and retry.");
        }
    }

    private async Task<bool> ReplaceAsync(LearnerSupervisors next, string etag, CancellationToken cancellationToken)
    {
        await store.ReplaceAsync(next, etag, cancellationToken);
        return true;
    }
}
