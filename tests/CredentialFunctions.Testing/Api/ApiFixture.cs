using CredentialFunctions.Application.Renewal;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace CredentialFunctions.Testing.Api;

/// <summary>
/// One in-memory API host (with its own local Cosmos server) shared by the API test classes. Its
/// renewal windows only record what they are told: the windows are tested on the Durable host.
/// </summary>
public sealed class ApiFixture : IAsyncLifetime
{
    public ApiHost Host { get; private set; } = null!;

    public RecordingRenewalWindows Windows { get; } = new();

    public async Task InitializeAsync() => Host = await ApiHost.StartAsync(overrides: services => services.AddSingleton<IRenewalWindows>(Windows));

    public async Task DisposeAsync() => await Host.DisposeAsync();
}
