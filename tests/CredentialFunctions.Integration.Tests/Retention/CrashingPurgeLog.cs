using CredentialFunctions.Application.Ports;
using CredentialFunctions.Domain.Retention;

namespace CredentialFunctions.Integration.Tests.Retention;

/// <summary>The purge log of a process that dies, on cue, right after an entry is written and before the record is removed.</summary>
internal sealed class CrashingPurgeLog(IPurgeLog inner, CrashingPurgeLog.Switch crash) : IPurgeLog
{
    public sealed class Switch
    {
        public volatile bool DieAfterNextAppend;
    }

    public async Task<bool> TryAppendAsync(PurgeLogEntry entry, CancellationToken cancellationToken)
    {
        var appended = await inner.TryAppendAsync(entry, cancellationToken);
        if (crash.DieAfterNextAppend)
        {
            crash.DieAfterNextAppend = false;
            throw new IOException($"The process died right after the purge log entry of {entry.CertificateId}.");
        }
        return appended;
    }

    public Task<PurgeLogEntry?> GetAsync(string certificateId, CancellationToken cancellationToken) => inner.GetAsync(certificateId, cancellationToken);

    public Task<IReadOnlySet<string>> PurgedAmongAsync(IReadOnlyCollection<string> certificateIds, CancellationToken cancellationToken) => inner.PurgedAmongAsync(certificateIds, cancellationToken);

    public Task<Page<PurgeLogEntry>> ListAsync(string? continuationToken, int pageSize, CancellationToken cancellationToken) => inner.ListAsync(continuationToken, pageSize, cancellationToken);
}
