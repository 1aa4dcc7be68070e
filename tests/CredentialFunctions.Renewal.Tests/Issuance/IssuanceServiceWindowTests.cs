using CredentialFunctions.Application.StatusLists;
using CredentialFunctions.Adapters;
using CredentialFunctions.Adapters.Cosmos;
using CredentialFunctions.Adapters.Events;
using CredentialFunctions.Application;
using CredentialFunctions.Application.Events;
using CredentialFunctions.Application.Outbox;
using CredentialFunctions.Domain.Credentials;
using CredentialFunctions.Application.Issuance;
using CredentialFunctions.Application.Renewal;
using CredentialFunctions.Renewal.Tests.Support;
using CredentialFunctions.Testing.Cosmos;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;

namespace CredentialFunctions.Renewal.Tests.Issuance;

/// <summary>Issuance writes the credential first, then starts its window; a failed start heals on the LMS's retry.</summary>
public sealed class IssuanceServiceWindowTests(CosmosServerFixture cosmos) : IClassFixture<CosmosServerFixture>
{
    [Fact]
    public async Task A_window_that_failed_to_start_is_started_when_the_LMS_retries_the_same_event()
    {
        var scope = await CredentialStoreScope.CreateAsync(cosmos);
        var programs = new CosmosProgramStore(scope.Database);
        var program = A.Program(A.Terms());
        await programs.AddVersionAsync(program, CancellationToken.None);
        var windows = new Mock<IRenewalWindows>();
        windows.SetupSequence(w => w.StartAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new HttpRequestException("durable host unreachable"))
            .Returns(Task.CompletedTask);
        var eventLog = new JsonLinesEventLog(Path.Combine(Path.GetTempPath(), "credential-functions-tests", Guid.NewGuid().ToString("N") + ".events.jsonl"), new Uri("http://localhost:7071"));
        var events = new EventPublisher<Credential>(new OutboxDispatcher<Credential>(scope.Updater, [eventLog], new RandomIdSource(), TimeProvider.System, NullLogger<OutboxDispatcher<Credential>>.Instance),
            NullLogger<EventPublisher<Credential>>.Instance);
        var issuance = new IssuanceService(programs, scope.Store, new CosmosReceiptStore(scope.Database), new CosmosHoldingStore(scope.Database), windows.Object,
            new RandomIdSource(), new CredentialUpdater(scope.Store), events,
            new StatusListPublisher(new CosmosStatusListStore(scope.Database), scope.Store, new CredentialUpdater(scope.Store), new CryptoRandomSource()),
            new CosmosPurgeLog(scope.Database), TimeProvider.System, NullLogger<IssuanceService>.Instance);
        var completion = new LmsCompletion("evt-7", new LmsLearner("42", "Ada Lovelace", "ada@example.org"), program.ProgramId, 90, DateTimeOffset.UtcNow.AddMinutes(-1));

        await Assert.ThrowsAsync<HttpRequestException>(() => issuance.RecordLmsCompletionAsync(completion, CancellationToken.None));
        var (result, firstDelivery) = await issuance.RecordLmsCompletionAsync(completion, CancellationToken.None);

        Assert.False(firstDelivery);
        Assert.NotNull(await scope.Store.GetAsync(result.CertificateId!, CancellationToken.None));
        windows.Verify(w => w.StartAsync(result.CertificateId!, It.IsAny<CancellationToken>()), Times.Exactly(2));
    }
}
