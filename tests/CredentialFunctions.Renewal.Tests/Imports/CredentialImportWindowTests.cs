using System.Text;
using CredentialFunctions.Adapters;
using CredentialFunctions.Adapters.Cosmos;
using CredentialFunctions.Adapters.Events;
using CredentialFunctions.Application;
using CredentialFunctions.Application.Events;
using CredentialFunctions.Application.Imports;
using CredentialFunctions.Application.Issuance;
using CredentialFunctions.Application.Outbox;
using CredentialFunctions.Application.Renewal;
using CredentialFunctions.Application.StatusLists;
using CredentialFunctions.Domain;
using CredentialFunctions.Domain.Credentials;
using CredentialFunctions.Domain.Programs;
using CredentialFunctions.Domain.Renewal;
using CredentialFunctions.Renewal.Tests.Support;
using CredentialFunctions.Testing.Cosmos;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace CredentialFunctions.Renewal.Tests.Imports;

/// <summary>An import writes the holding, then the credential, then starts its window; what a failure leaves is finished by importing the file again.</summary>
public sealed class CredentialImportWindowTests(CosmosServerFixture cosmos) : IClassFixture<CosmosServerFixture>
{
    [Fact]
    public async Task A_window_that_failed_to_start_is_started_when_the_row_is_imported_again_and_plans_from_the_first_import()
    {
        var clock = new FakeTimeProvider(A.Jan1);
        var scope = await CredentialStoreScope.CreateAsync(cosmos);
        var programs = new CosmosProgramStore(scope.Database);
        var program = A.Program(A.Terms(), at: A.Jan1.AddYears(-2));
        await programs.AddVersionAsync(program, CancellationToken.None);
        var windows = new Mock<IRenewalWindows>();
        windows.SetupSequence(w => w.StartAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new HttpRequestException("durable host unreachable"))
            .Returns(Task.CompletedTask);
        var eventLog = new JsonLinesEventLog(Path.Combine(Path.GetTempPath(), "credential-functions-tests", Guid.NewGuid().ToString("N") + ".events.jsonl"), new Uri("http://localhost:7071"));
        var events = new EventPublisher<Credential>(new OutboxDispatcher<Credential>(scope.Updater, [eventLog], new RandomIdSource(), clock, NullLogger<OutboxDispatcher<Credential>>.Instance),
            NullLogger<EventPublisher<Credential>>.Instance);
        var holdings = new CosmosHoldingStore(scope.Database);
        var import = new CohortImport(programs, scope.Store, holdings, new FirstCredentials(holdings, scope.Store, new CosmosPurgeLog(scope.Database), new RandomIdSource()), windows.Object, new RandomIdSource(), events,
            new StatusListPublisher(new CosmosStatusListStore(scope.Database), scope.Store, scope.Updater, new CryptoRandomSource()), NullLogger<CohortImport>.Instance);
        // 45 days before expiry: the 90- and 60-day reminders fell due before the import.
        var expiry = new DateTimeOffset(A.Jan1.UtcDateTime.Date.AddDays(45), TimeSpan.Zero);
        var file = ImportCsv.Read("legacy.csv", Encoding.UTF8.GetBytes(
            "learnerExternalId,fullLegalName,email,completedAt,score,issuedAt,expiresAt\n"
            + $"42,Ada Lovelace,ada@example.org,{expiry.AddYears(-1):yyyy-MM-dd},91,{expiry.AddYears(-1):yyyy-MM-dd},{expiry:yyyy-MM-dd}\n"), 10);
        var row = file.Rows[0].Row.Checked(program, clock.GetUtcNow(), new ValidationErrors())!;
        var origin = new ImportOrigin(file.FileName, file.Sha256, row.Line, clock.GetUtcNow(), "user:registrar");

        await Assert.ThrowsAsync<HttpRequestException>(() => import.ImportAsync(program, row, origin, CancellationToken.None));
        clock.Advance(TimeSpan.FromHours(1));
        var again = await import.ImportAsync(program, row, origin with { At = clock.GetUtcNow() }, CancellationToken.None);

        Assert.Equal(ImportRowOutcome.AlreadyImported, again.Outcome);
        windows.Verify(w => w.StartAsync(again.CertificateId, It.IsAny<CancellationToken>()), Times.Exactly(2));
        var stored = await scope.ReadAsync(again.CertificateId);
        Assert.Equal(new ImportOrigin("legacy.csv", file.Sha256, 2, A.Jan1, "user:registrar"), stored.ImportedFrom);
        Assert.NotNull(stored.StatusLists);
        Assert.Equal(new RenewalStep(RenewalStepKind.Reminder, 1, expiry.AddDays(-30), IsoDuration.FromDays(30)), RenewalWindow.NextStep(stored, clock.GetUtcNow()));
    }
}
