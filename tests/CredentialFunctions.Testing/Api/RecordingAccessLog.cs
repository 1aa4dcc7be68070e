using System.Collections.Concurrent;
using CredentialFunctions.Application.Access;

namespace CredentialFunctions.Testing.Api;

/// <summary>The access log as the tests see it: every read recorded, in order, for a test to assert on.</summary>
public sealed class RecordingAccessLog : IAccessLog
{
    public ConcurrentQueue<(string Caller, string Resource, string? Query)> Reads { get; } = new();

    public Task RecordAsync(Caller caller, string resource, string? query, CancellationToken cancellationToken)
    {
        Reads.Enqueue((caller.AuditName, resource, query));
        return Task.CompletedTask;
    }
}
