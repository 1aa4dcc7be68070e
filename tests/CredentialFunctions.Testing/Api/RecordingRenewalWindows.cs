using System.Collections.Concurrent;
using CredentialFunctions.Application.Renewal;

namespace CredentialFunctions.Testing.Api;

/// <summary>
/// Records what the HTTP functions tell the renewal windows, for tests of the functions alone: it
/// replaces the composition's scoped <see cref="IRenewalWindows"/>. The windows themselves are tested
/// on the Durable test host.
/// </summary>
public sealed class RecordingRenewalWindows : IRenewalWindows
{
    private readonly ConcurrentQueue<(string CertificateId, string What)> _calls = new();

    /// <summary>"start" or the event kind, in the order they were made, for one credential.</summary>
    public IReadOnlyList<string> CallsFor(string certificateId) => _calls.Where(c => c.CertificateId == certificateId).Select(c => c.What).ToList();

    public Task StartAsync(string certificateId, CancellationToken cancellationToken)
    {
        _calls.Enqueue((certificateId, "start"));
        return Task.CompletedTask;
    }

    /// <summary>Nothing runs here: every start is recorded and none is refused.</summary>
    public Task<bool> IsRunningAsync(string certificateId, CancellationToken cancellationToken) => Task.FromResult(false);

    public Task RaiseAsync(string certificateId, RenewalWindowEvent windowEvent, CancellationToken cancellationToken)
    {
        _calls.Enqueue((certificateId, windowEvent.Kind.ToString()));
        return Task.CompletedTask;
    }
}
