using System.Net;
using System.Text.Json;
using CredentialFunctions.Adapters.Cosmos;
using CredentialFunctions.Application;
using CredentialFunctions.Application.Access;
using CredentialFunctions.Application.Issuance;
using CredentialFunctions.Application.Ports;
using CredentialFunctions.Application.Renewal;
using CredentialFunctions.Testing.Api;
using CredentialFunctions.Testing.Cosmos;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CredentialFunctions.Integration.Tests.Issuance;

/// <summary>
/// The local host on the local Cosmos server with stores that die on cue (<see cref="Crash"/>), a
/// receipt write that can be held back (<see cref="ReceiptGate"/>), a fake clock and recorded
/// windows; with one program and one learner, whose requests are sent as the API's callers send them.
/// </summary>
internal sealed class CrashingApi : IAsyncDisposable
{
    public const string Learner = "learner-7";

    private CrashingApi(ApiHost host, FakeTimeProvider clock, Crash crash, ReceiptGate gate, RecordingRenewalWindows recorded, CrashingRenewalWindows windows)
        => (Host, Clock, Crash, Gate, Recorded, Windows) = (host, clock, crash, gate, recorded, windows);

    public ApiHost Host { get; }
    public FakeTimeProvider Clock { get; }
    public Crash Crash { get; }
    public ReceiptGate Gate { get; }
    public RecordingRenewalWindows Recorded { get; }
    public CrashingRenewalWindows Windows { get; }
    public string ProgramId { get; private set; } = "";

    public static async Task<CrashingApi> StartAsync(CosmosServerFixture cosmos)
    {
        var (clock, crash, recorded) = (new FakeTimeProvider(DateTimeOffset.UtcNow), new Crash(), new RecordingRenewalWindows());
        var windows = new CrashingRenewalWindows(recorded, crash);
        var host = await ApiHost.StartAsync(cosmos.Endpoint, overrides: services =>
        {
            services.AddSingleton<TimeProvider>(clock);
            services.AddSingleton<IRenewalWindows>(windows);
            services.AddSingleton<IHoldingStore>(sp => new CrashingHoldingStore(new CosmosHoldingStore(sp.GetRequiredService<CredentialDatabase>()), crash));
            services.AddSingleton<IReceiptStore>(sp => new ReceiptGate(new CrashingReceiptStore(new CosmosReceiptStore(sp.GetRequiredService<CredentialDatabase>()), crash)));
            services.AddSingleton<ICredentialStore>(sp => new CrashingCredentialStore(ActivatorUtilities.CreateInstance<CosmosCredentialStore>(sp), crash));
        });
        var api = new CrashingApi(host, clock, crash, (ReceiptGate)host.Services.GetRequiredService<IReceiptStore>(), recorded, windows);
        api.ProgramId = await host.CreateProgramAsync();
        return api;
    }

    /// <summary>A passing completion of the program by the learner (or another), as the LMS signs it.</summary>
    public string Pass(string? eventId = null, string learner = Learner, DateTimeOffset? completedAt = null)
        => JsonSerializer.Serialize(Bodies.Completion(ProgramId, eventId: eventId, completedAt: completedAt ?? Clock.GetUtcNow().AddMinutes(-5))
            .With("learner", new Dictionary<string, object?> { ["externalId"] = learner, ["fullLegalName"] = "Grace Brewster Hopper", ["email"] = "grace@example.org" }), CredentialJson.Options);

    public async Task<(HttpStatusCode Status, string? Action, string? CertificateId)> DeliverAsync(string body)
    {
        using var response = await Host.Client.SendAsync(Host.SignedLms(body, Clock.GetUtcNow()));
        var json = await ApiHost.ReadJsonAsync(response);
        return response.IsSuccessStatusCode
            ? (response.StatusCode, json.GetProperty("action").GetString(), json.GetProperty("certificateId").GetString())
            : (response.StatusCode, null, null);
    }

    public Task<HttpResponseMessage> PostAsync(string certificateId, string action, string reason)
        => Host.SendAsync(HttpMethod.Post, $"/api/credentials/{certificateId}/{action}", new { reason }, Role.ProgramManager);

    /// <summary>The credential's state, or null when it does not exist.</summary>
    public async Task<string?> StateAsync(string certificateId)
    {
        using var response = await Host.SendAsync(HttpMethod.Get, $"/api/credentials/{certificateId}", role: Role.Auditor);
        return response.StatusCode == HttpStatusCode.NotFound ? null : (await ApiHost.ReadJsonAsync(response)).GetProperty("state").GetString();
    }

    public async Task<Holding?> HoldingAsync()
        => (await Host.Services.GetRequiredService<IHoldingStore>().GetAsync(IssuanceService.LearnerIdFor(Learner), ProgramId, CancellationToken.None))?.Value;

    public Task<int> CredentialCountAsync() => Host.CountAsync(CosmosLayout.Credentials);

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}

/// <summary>
/// Holds the first write of one receipt back until released, as a request is held up between
/// deciding a pass and writing its receipt; or the answer of the first read of one, as a request
/// held up between reading a receipt and acting on it. Every other call goes straight through.
/// </summary>
internal sealed class ReceiptGate(IReceiptStore inner) : IReceiptStore
{
    private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _lock = new();
    private string? _held;
    private string? _heldRead;

    /// <summary>Completes when the held write (or read) arrives.</summary>
    public Task Reached => _reached.Task;

    public void Hold(string key)
    {
        lock (_lock) _held = key;
    }

    public void HoldAfterRead(string key)
    {
        lock (_lock) _heldRead = key;
    }

    public void Release() => _released.TrySetResult();

    public async Task<bool> TryCreateAsync<T>(string key, T receipt, CancellationToken cancellationToken)
    {
        if (Take(ref _held, key)) await PauseAsync(cancellationToken);
        return await inner.TryCreateAsync(key, receipt, cancellationToken);
    }

    public async Task<T?> GetAsync<T>(string key, CancellationToken cancellationToken) where T : class
    {
        var read = await inner.GetAsync<T>(key, cancellationToken);
        if (Take(ref _heldRead, key)) await PauseAsync(cancellationToken);
        return read;
    }

    /// <summary>Whether this call is the one held (each hold stops one call only).</summary>
    private bool Take(ref string? held, string key)
    {
        lock (_lock)
        {
            if (held != key) return false;
            held = null;
            return true;
        }
    }

    private async Task PauseAsync(CancellationToken cancellationToken)
    {
        _reached.TrySetResult();
        await _released.Task.WaitAsync(cancellationToken);
    }

    public Task<IReadOnlyList<Versioned<CompletionReceipt>>> CompletionsNamingAsync(string certificateId, CancellationToken cancellationToken) => inner.CompletionsNamingAsync(certificateId, cancellationToken);

    public Task ReplaceAsync<T>(string key, T receipt, string etag, CancellationToken cancellationToken) => inner.ReplaceAsync(key, receipt, etag, cancellationToken);

    public Task<bool> DeleteAsync(string key, string etag, CancellationToken cancellationToken) => inner.DeleteAsync(key, etag, cancellationToken);
}
