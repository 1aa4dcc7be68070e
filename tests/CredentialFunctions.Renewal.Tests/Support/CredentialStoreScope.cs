using CredentialFunctions.Adapters.Cosmos;
using CredentialFunctions.Application;
using CredentialFunctions.Application.Ports;
using CredentialFunctions.Domain.Credentials;
using CredentialFunctions.Testing.Anchors;
using CredentialFunctions.Testing.Cosmos;

namespace CredentialFunctions.Renewal.Tests.Support;

/// <summary>A fresh database on the shared local Cosmos server, with the credential stores over it.</summary>
internal sealed class CredentialStoreScope
{
    private CredentialStoreScope(CredentialDatabase database)
    {
        Database = database;
        Store = new CosmosCredentialStore(database, TestAnchors.Anchoring);
        Updater = new CredentialUpdater(Store);
    }

    public CredentialDatabase Database { get; }
    public CosmosCredentialStore Store { get; }
    public CredentialUpdater Updater { get; }

    public static async Task<CredentialStoreScope> CreateAsync(CosmosServerFixture cosmos)
    {
        var database = new CredentialDatabase(cosmos.Client, new CosmosOptions { DatabaseName = "renewal-" + Guid.NewGuid().ToString("N")[..10] });
        await database.EnsureCreatedAsync(CancellationToken.None);
        return new CredentialStoreScope(database);
    }

    public async Task<Credential> AddAsync(Credential credential)
    {
        Assert.True(await Store.TryCreateAsync(credential, CancellationToken.None));
        return credential;
    }

    public async Task<Credential> ReadAsync(string certificateId) => (await Store.GetAsync(certificateId, CancellationToken.None))!.Value;
}
