using System.Net;
using CredentialFunctions.Adapters.Cosmos;
using CredentialFunctions.Application.Access;
using CredentialFunctions.Application.Ports;
using CredentialFunctions.Domain.Credentials;
using CredentialFunctions.Testing.Api;
using Microsoft.Extensions.DependencyInjection;

namespace CredentialFunctions.Integration.Tests.Api;

[Collection(ApiCollection.Name)]
public sealed class RecordTooLargeApiTests(ApiFixture fixture)
{
    [Fact]
    public async Task A_write_the_store_refuses_as_too_large_is_422_record_too_large_and_the_record_is_unchanged()
    {
        // The Cosmos adapter's own refusal is tested against the local server (CosmosStoreTests); here, only how the edge answers it.
        await using var host = await ApiHost.StartAsync(fixture.Host.CosmosEndpoint, overrides: services =>
            services.AddSingleton<ICredentialStore>(sp => new FullRecords(ActivatorUtilities.CreateInstance<CosmosCredentialStore>(sp))));
        var id = await host.IssueAsync(await host.CreateProgramAsync());
        async Task<string> RecordAsync() => await (await host.SendAsync(HttpMethod.Get, $"/api/credentials/{id}", role: Role.Auditor)).Content.ReadAsStringAsync();
        var before = await RecordAsync();

        var problem = await Problem.AssertAsync(await host.SendAsync(HttpMethod.Post, $"/api/credentials/{id}/revocation", new { reason = "Fraud" }, Role.ProgramManager),
            HttpStatusCode.UnprocessableEntity, "record-too-large");

        Assert.Contains(id, problem.GetProperty("detail").GetString());
        Assert.Equal(before, await RecordAsync());
    }

    /// <summary>Every record is already as large as a record may be: creating works, changing does not.</summary>
    private sealed class FullRecords(ICredentialStore inner) : ICredentialStore
    {
        public Task<Versioned<Credential>?> GetAsync(string certificateId, CancellationToken cancellationToken) => inner.GetAsync(certificateId, cancellationToken);

        public Task<string?> CreateIfAbsentAsync(Credential credential, CancellationToken cancellationToken) => inner.CreateIfAbsentAsync(credential, cancellationToken);

        public Task<string> ReplaceAsync(Credential credential, string etag, CancellationToken cancellationToken)
            => throw new RecordTooLargeException(credential.CertificateId, 1_900_000, 1_835_008);

        public Task<bool> DeleteAsync(string certificateId, string etag, CancellationToken cancellationToken) => inner.DeleteAsync(certificateId, etag, cancellationToken);
    }
}
