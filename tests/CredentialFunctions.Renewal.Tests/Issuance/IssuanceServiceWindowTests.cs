using CredentialFunctions.Application.StatusLists;
using CredentialFunctions.Adapters;
using CredentialFunctions.Adapters.Cosmos;
using CredentialFunctions.Adapters.Events;
using CredentialFunctions.Application;
using CredentialFunctions.Application.Events;
using CredentialFunctions.Application.Outbox;
using CredentialFunctions.Application.Ports;
using CredentialFunctions.Domain.Credentials;
using CredentialFunctions.Domain.Programs;
using CredentialFunctions.Application.Issuance;
using CredentialFunctions.Application.Renewal;
using CredentialFunctions.Renewal.Tests.Support;
using CredentialFunctions.Testing.Cosmos;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;

namespace CredentialFunctions.Renewal.Tests.Issuance;

/// <summary>Issuance writes the credential first, then starts its window; a failed start heals on the LMS's retry; its events go without reading the credential back.</summary>
public sealed class IssuanceServiceWindowTests(CosmosServerFixture cosmos) : IClassFixture<CosmosServerFixture>
{
    [Fact]
    public async Task A_window_that_failed_to_start_is_started_when_the_LMS_retries_the_same_event()
    {
        var scope = await CredentialStoreScope.CreateAsync(cosmos);
        var program = await AddProgramAsync(scope);
        var windows = new Mock<IRenewalWindows>();
        windows.SetupSequence(w => w.StartAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new HttpRequestException("durable host unreachable"))
            .Returns(Task.CompletedTask);
        var issuance = Issuance(scope, scope.Store, windows.Object);
        var completion = new LmsCompletion("evt-7", new LmsLearner("42", "Ada Lovelace", "ada@example.org"), program.ProgramId, 90, DateTimeOffset.UtcNow.AddMinutes(-1));

        await Assert.ThrowsAsync<HttpRequestException>(() => issuance.RecordLmsCompletionAsync(completion, CancellationToken.None));
        var (result, firstDelivery) = await issuance.RecordLmsCompletionAsync(completion, CancellationToken.None);

        Assert.False(firstDelivery);
        Assert.NotNull(await scope.Store.GetAsync(result.CertificateId!, CancellationToken.None));
        windows.Verify(w => w.StartAsync(result.CertificateId!, It.IsAny<CancellationToken>()), Times.Exactly(2));
    }

    [Fact]
    public async Task A_first_delivery_claims_the_new_credentials_event_in_its_create_and_settles_its_holding_without_reading_either_back()
    {
        var scope = await CredentialStoreScope.CreateAsync(cosmos);
        var program = await AddProgramAsync(scope);
        var reads = new ReadCountingStore(scope.Store);
        var holdings = new HoldingReadCounter(new CosmosHoldingStore(scope.Database));
        var issuance = Issuance(scope, reads, Mock.Of<IRenewalWindows>(), holdings);
        var completion = new LmsCompletion("evt-8", new LmsLearner("43", "Grace Hopper", "grace@example.org"), program.ProgramId, 90, DateTimeOffset.UtcNow.AddMinutes(-1));

        var (result, firstDelivery) = await issuance.RecordLmsCompletionAsync(completion, CancellationToken.None);

        Assert.True(firstDelivery);
        // The one read is of the learner's first credential, found missing (no holding without it; see FirstCredentials).
        // The create is the event's claim and its ETag carries the mark: before, the claim and the mark were a read and a write each.
        Assert.Equal(1, reads.Reads);
        Assert.Equal(1, reads.Replaces);
        // One read to decide on (there is none yet); the pending pass is cleared with the create's ETag.
        Assert.Equal(1, holdings.Reads);
        Assert.Null((await holdings.GetAsync(IssuanceService.LearnerIdFor("43"), program.ProgramId, CancellationToken.None))!.Value.Pending);
        var issued = await scope.ReadAsync(result.CertificateId!);
        Assert.Contains(issued.Outbox.Entries, e => e.Channel == OutboxChannel.Events);
        Assert.All(issued.Outbox.Entries.Where(e => e.Channel == OutboxChannel.Events), e => Assert.Equal((OutboxState.Sent, 1), (e.State, e.Attempts)));
    }

    private static async Task<CertificationProgram> AddProgramAsync(CredentialStoreScope scope)
    {
        var program = A.Program(A.Terms());
        await new CosmosProgramStore(scope.Database).AddVersionAsync(program, CancellationToken.None);
        return program;
    }

    private static IssuanceService Issuance(CredentialStoreScope scope, ICredentialStore store, IRenewalWindows windows, IHoldingStore? holdings = null)
    {
        var updater = new CredentialUpdater(store);
        var eventLog = new JsonLinesEventLog(Path.Combine(Path.GetTempPath(), "credential-functions-tests", Guid.NewGuid().ToString("N") + ".events.jsonl"), new Uri("http://localhost:7071"));
        var events = new EventPublisher<Credential>(new OutboxDispatcher<Credential>(updater, [eventLog], new RandomIdSource(), TimeProvider.System, NullLogger<OutboxDispatcher<Credential>>.Instance),
            NullLogger<EventPublisher<Credential>>.Instance);
        holdings ??= new CosmosHoldingStore(scope.Database);
        var firsts = new FirstCredentials(holdings, store, new CosmosPurgeLog(scope.Database), new RandomIdSource());
        return new IssuanceService(new CosmosProgramStore(scope.Database), store, new CosmosReceiptStore(scope.Database), holdings, firsts, windows,
            new RandomIdSource(), updater, events,
            new StatusListPublisher(new CosmosStatusListStore(scope.Database), store, updater, new CryptoRandomSource()),
            new CosmosPurgeLog(scope.Database), TimeProvider.System, NullLogger<IssuanceService>.Instance);
    }

    private sealed class ReadCountingStore(ICredentialStore inner) : ICredentialStore
    {
        private int _reads;
        private int _replaces;

        public int Reads => _reads;

        public int Replaces => _replaces;

        public Task<Versioned<Credential>?> GetAsync(string id, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _reads);
            return inner.GetAsync(id, cancellationToken);
        }

        public Task<string?> CreateIfAbsentAsync(Credential credential, CancellationToken cancellationToken) => inner.CreateIfAbsentAsync(credential, cancellationToken);

        public Task<string> ReplaceAsync(Credential value, string etag, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _replaces);
            return inner.ReplaceAsync(value, etag, cancellationToken);
        }

        public Task<bool> DeleteAsync(string certificateId, string etag, CancellationToken cancellationToken) => inner.DeleteAsync(certificateId, etag, cancellationToken);
    }

    private sealed class HoldingReadCounter(IHoldingStore inner) : IHoldingStore
    {
        private int _reads;

        public int Reads => _reads;

        public Task<Versioned<Holding>?> GetAsync(string learnerId, string programId, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _reads);
            return inner.GetAsync(learnerId, programId, cancellationToken);
        }

        public Task<string?> CreateIfAbsentAsync(Holding holding, CancellationToken cancellationToken) => inner.CreateIfAbsentAsync(holding, cancellationToken);

        public Task<string?> ReplaceIfCurrentAsync(Holding holding, string etag, CancellationToken cancellationToken) => inner.ReplaceIfCurrentAsync(holding, etag, cancellationToken);

        public Task<bool> TryDeleteAsync(Holding holding, string etag, CancellationToken cancellationToken) => inner.TryDeleteAsync(holding, etag, cancellationToken);

        public Task<Page<Holding>> PendingDecidedBeforeAsync(DateTimeOffset before, string? continuationToken, int pageSize, CancellationToken cancellationToken)
            => inner.PendingDecidedBeforeAsync(before, continuationToken, pageSize, cancellationToken);

        public Task<byte[]> FirstCredentialKeyAsync(string programId, CancellationToken cancellationToken) => inner.FirstCredentialKeyAsync(programId, cancellationToken);

        public Task<byte[]?> FindFirstCredentialKeyAsync(string programId, CancellationToken cancellationToken) => inner.FindFirstCredentialKeyAsync(programId, cancellationToken);
    }
}
