using CredentialFunctions.Application.Access;
using CredentialFunctions.Application.Ports;
using CredentialFunctions.Domain;
using CredentialFunctions.Domain.Programs;

namespace CredentialFunctions.Application.Programs;

/// <summary>Creates and revises programs; a revision is a new version, credentials keep theirs.</summary>
public sealed class ProgramService(IProgramStore programs, ActivityClaims activities, IIdSource ids, TimeProvider clock)
{
    public async Task<CertificationProgram> CreateAsync(ProgramDefinition definition, Caller caller, CancellationToken cancellationToken)
    {
        var program = CertificationProgram.Create(ids.NewId("prg-"), definition, clock.GetUtcNow(), caller.AuditName);
        await activities.ClaimAsync(program, cancellationToken);
        await programs.AddVersionAsync(program, cancellationToken);
        return program;
    }

    public async Task<CertificationProgram> GetAsync(string programId, int? version, CancellationToken cancellationToken)
        => (version is { } v ? await programs.GetVersionAsync(programId, v, cancellationToken) : await programs.GetCurrentAsync(programId, cancellationToken))
           ?? throw new NotFoundException("Program", version is null ? programId : $"{programId}@{version}");

    /// <param name="expectedVersion">The version the caller edited (from If-Match); a later one means someone revised it meanwhile.</param>
    public async Task<CertificationProgram> ReviseAsync(string programId, ProgramDefinition definition, int? expectedVersion, Caller caller, CancellationToken cancellationToken)
    {
        var current = await GetAsync(programId, null, cancellationToken);
        if (expectedVersion is { } expected && expected != current.Version)
            throw new ConcurrencyConflictException($"Program '{programId}' is at version {current.Version}, not {expected}; re-read it and apply your change again.");
        var next = current.Revise(definition, clock.GetUtcNow(), caller.AuditName);
        await activities.ClaimAsync(next, cancellationToken);
        await programs.AddVersionAsync(next, cancellationToken);
        return next;
    }
}
