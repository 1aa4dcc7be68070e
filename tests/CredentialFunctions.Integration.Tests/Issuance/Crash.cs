using CredentialFunctions.Application.Issuance;
using CredentialFunctions.Application.Ports;
using CredentialFunctions.Application.Renewal;
using CredentialFunctions.Domain.Credentials;

namespace CredentialFunctions.Integration.Tests.Issuance;

/// <summary>
/// The process dying right after one write of an issuance (or of a purge): armed with a point, the
/// first write that reaches it succeeds and then throws, as if the host were killed before its next line.
/// </summary>
internal sealed class Crash
{
    public const string HoldingWritten = "holding written";
    public const string ReceiptWritten = "receipt written";
    public const string CredentialWritten = "credential written";
    public const string WindowStarted = "window started";

    /// <summary>The issuance's points, in the order its writes reach them.</summary>
    public static readonly string[] Points = [HoldingWritten, ReceiptWritten, CredentialWritten, WindowStarted];

    /// <summary>The retention purge stripped or deleted one of a credential's receipts.</summary>
    public const string ReceiptRemoved = "receipt removed";

    private readonly Lock _lock = new();
    private string? _armed;

    public void Arm(string point)
    {
        lock (_lock) _armed = point;
    }

    public void After(string point)
    {
        lock (_lock)
        {
            if (_armed != point) return;
            _armed = null;
        }
        throw new IOException($"The process died right after: {point}.");
    }
}

internal sealed class CrashingHoldingStore(IHoldingStore inner, Crash crash) : IHoldingStore
{
    public Task<Versioned<Holding>?> GetAsync(string learnerId, string programId, CancellationToken cancellationToken) => inner.GetAsync(learnerId, programId, cancellationToken);

    public async Task<string?> CreateIfAbsentAsync(Holding holding, CancellationToken cancellationToken)
    {
        var created = await inner.CreateIfAbsentAsync(holding, cancellationToken);
        if (created is not null) crash.After(Crash.HoldingWritten);
        return created;
    }

    public async Task<string?> ReplaceIfCurrentAsync(Holding holding, string etag, CancellationToken cancellationToken)
    {
        var replaced = await inner.ReplaceIfCurrentAsync(holding, etag, cancellationToken);
        if (replaced is not null) crash.After(Crash.HoldingWritten);
        return replaced;
    }

    public Task<bool> TryDeleteAsync(Holding holding, string etag, CancellationToken cancellationToken) => inner.TryDeleteAsync(holding, etag, cancellationToken);

    public Task<Page<Holding>> PendingDecidedBeforeAsync(DateTimeOffset before, string? continuationToken, int pageSize, CancellationToken cancellationToken)
        => inner.PendingDecidedBeforeAsync(before, continuationToken, pageSize, cancellationToken);

    public Task<byte[]> FirstCredentialKeyAsync(string programId, CancellationToken cancellationToken) => inner.FirstCredentialKeyAsync(programId, cancellationToken);

    public Task<byte[]?> FindFirstCredentialKeyAsync(string programId, CancellationToken cancellationToken) => inner.FindFirstCredentialKeyAsync(programId, cancellationToken);
}

internal sealed class CrashingReceiptStore(IReceiptStore inner, Crash crash) : IReceiptStore
{
    public async Task<bool> TryCreateAsync<T>(string key, T receipt, CancellationToken cancellationToken)
    {
        var created = await inner.TryCreateAsync(key, receipt, cancellationToken);
        if (created) crash.After(Crash.ReceiptWritten);
        return created;
    }

    public Task<T?> GetAsync<T>(string key, CancellationToken cancellationToken) where T : class => inner.GetAsync<T>(key, cancellationToken);

    public Task<IReadOnlyList<Versioned<CompletionReceipt>>> CompletionsNamingAsync(string certificateId, CancellationToken cancellationToken) => inner.CompletionsNamingAsync(certificateId, cancellationToken);

    public async Task ReplaceAsync<T>(string key, T receipt, string etag, CancellationToken cancellationToken)
    {
        await inner.ReplaceAsync(key, receipt, etag, cancellationToken);
        crash.After(Crash.ReceiptRemoved);
    }

    public async Task<bool> DeleteAsync(string key, string etag, CancellationToken cancellationToken)
    {
        var deleted = await inner.DeleteAsync(key, etag, cancellationToken);
        if (deleted) crash.After(Crash.ReceiptRemoved);
        return deleted;
    }
}

internal sealed class CrashingCredentialStore(ICredentialStore inner, Crash crash) : ICredentialStore
{
    public Task<Versioned<Credential>?> GetAsync(string certificateId, CancellationToken cancellationToken) => inner.GetAsync(certificateId, cancellationToken);

    public async Task<string?> CreateIfAbsentAsync(Credential credential, CancellationToken cancellationToken)
    {
        var created = await inner.CreateIfAbsentAsync(credential, cancellationToken);
        if (created is not null) crash.After(Crash.CredentialWritten);
        return created;
    }

    public async Task<string> ReplaceAsync(Credential credential, string etag, CancellationToken cancellationToken)
    {
        var written = await inner.ReplaceAsync(credential, etag, cancellationToken);
        crash.After(Crash.CredentialWritten);
        return written;
    }

    public Task<bool> DeleteAsync(string certificateId, string etag, CancellationToken cancellationToken) => inner.DeleteAsync(certificateId, etag, cancellationToken);
}

internal sealed class CrashingRenewalWindows(IRenewalWindows inner, Crash crash) : IRenewalWindows
{
    public async Task StartAsync(string certificateId, CancellationToken cancellationToken)
    {
        await inner.StartAsync(certificateId, cancellationToken);
        crash.After(Crash.WindowStarted);
    }

    public Task<bool> IsRunningAsync(string certificateId, CancellationToken cancellationToken) => inner.IsRunningAsync(certificateId, cancellationToken);

    public Task RaiseAsync(string certificateId, RenewalWindowEvent windowEvent, CancellationToken cancellationToken) => inner.RaiseAsync(certificateId, windowEvent, cancellationToken);
}
