namespace CredentialFunctions.Domain.Learners;

/// <summary>A supervisor of a learner, by the subject of their token (an Entra object id), and who assigned them when.</summary>
public sealed record SupervisorAssignment(string SupervisorId, DateTimeOffset AssignedAt, string AssignedBy);

public enum SupervisionChange { Assigned, Unassigned }

/// <summary>One change to who supervises a learner, kept for the auditor.</summary>
public sealed record SupervisionEntry(DateTimeOffset At, SupervisionChange Change, string SupervisorId, string By);

/// <summary>
/// Who supervises a learner, so a supervisor signs off only the renewals of the learners they
/// supervise (spec C12). Assigned by a program manager or administrator now; the HR integration will
/// feed the same record. Immutable: each change returns the next value with its history entry.
/// </summary>
public sealed record LearnerSupervisors(string LearnerId, IReadOnlyList<SupervisorAssignment> Supervisors, IReadOnlyList<SupervisionEntry> History)
{
    public const int MaxIdLength = 200;

    /// <summary>A team lead and a few deputies; the cap keeps one learner's document small.</summary>
    public const int MaxSupervisors = 20;

    public static LearnerSupervisors None(string learnerId) => new(RequireId("learnerId", learnerId), [], []);

    public bool IsSupervisedBy(string supervisorId) => Supervisors.Any(s => s.SupervisorId == supervisorId);

    /// <returns>Null when the supervisor is already assigned: assigning twice changes nothing.</returns>
    public LearnerSupervisors? Assign(string supervisorId, DateTimeOffset at, string by)
    {
        RequireId("supervisorId", supervisorId);
        if (IsSupervisedBy(supervisorId)) return null;
        if (Supervisors.Count >= MaxSupervisors)
            throw new LimitReachedException("supervisorsPerLearner", MaxSupervisors, $"Learner {LearnerId} already has {MaxSupervisors} supervisors, the most one learner may have; unassign one first.");
        return this with
        {
            Supervisors = [.. Supervisors, new SupervisorAssignment(supervisorId, at, by)],
            History = [.. History, new SupervisionEntry(at, SupervisionChange.Assigned, supervisorId, by)],
        };
    }

    public LearnerSupervisors Unassign(string supervisorId, DateTimeOffset at, string by)
    {
        RequireId("supervisorId", supervisorId);
        if (!IsSupervisedBy(supervisorId)) throw new NotFoundException("Supervisor assignment", $"{supervisorId} of {LearnerId}");
        return this with
        {
            Supervisors = [.. Supervisors.Where(s => s.SupervisorId != supervisorId)],
            History = [.. History, new SupervisionEntry(at, SupervisionChange.Unassigned, supervisorId, by)],
        };
    }

    public static string RequireId(string field, string? id)
        => string.IsNullOrWhiteSpace(id) || id.Length > MaxIdLength || id.Any(char.IsControl) || id != id.Trim()
            ? throw ValidationFailedException.For(field, $"An id of 1 to {MaxIdLength} characters, without spaces around it or control characters.")
            : id;
}
