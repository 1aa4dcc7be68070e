using System.Text.Json;
using CredentialFunctions.Adapters.Cosmos;
using CredentialFunctions.Application;
using CredentialFunctions.Application.Issuance;
using CredentialFunctions.Application.Ports;
using CredentialFunctions.Domain;
using CredentialFunctions.Domain.Credentials;
using CredentialFunctions.Domain.Programs;
using CredentialFunctions.Domain.Reports;
using CredentialFunctions.Testing.Anchors;
using CredentialFunctions.Testing.Cosmos;

namespace CredentialFunctions.Integration.Tests.Stores;

/// <summary>The Cosmos adapters against the real local server: what the app relies on, byte for byte.</summary>
public sealed class CosmosStoreTests(CosmosServerFixture cosmos) : IClassFixture<CosmosServerFixture>, IAsyncLifetime
{
    private CredentialDatabase _database = null!;

    public async Task InitializeAsync()
    {
        _database = new CredentialDatabase(cosmos.Client, new CosmosOptions { DatabaseName = "stores-" + Guid.NewGuid().ToString("N")[..8] });
        await _database.EnsureCreatedAsync(CancellationToken.None);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_credential_round_trips_with_its_audit_chain_intact()
    {
        var store = new CosmosCredentialStore(_database, TestAnchors.Anchoring);
        var credential = A.Credential(A.Program(A.Definition() with { RegulatoryModule = "FINRA-S1" }), seed: 1,
            holder: A.Learner with { LegalName = "Grace Hopper" }, placement: new Placement("Navy", "1944", "Harvard"), score: 91.5m);
        Assert.True(await store.TryCreateAsync(credential, CancellationToken.None));
        var read = await store.GetAsync(credential.CertificateId, CancellationToken.None);
        Assert.NotNull(read);
        Assert.False(string.IsNullOrEmpty(read.ETag));
        Assert.Equal(RecordDigest.Of(credential), RecordDigest.Of(read.Value));
        Assert.True(read.Value.VerifyAuditTrail().IsIntact);
        Assert.Equal(("Grace Hopper", 91.5m, "Harvard", "FINRA-S1"), (read.Value.Holder.LegalName, read.Value.Completion.Score, read.Value.Placement.JobSite, read.Value.RegulatoryModule));
    }

    /// <summary>
    /// A document is the value's own JSON with the id and the store's fields written after its
    /// members: each name once (a repeated name is a record readers disagree on), the fields the
    /// queries read, and for a value carrying its own id (a tally) that id once.
    /// </summary>
    [Fact]
    public async Task A_stored_document_holds_each_member_once_beside_its_id_and_the_fields_the_queries_read()
    {
        var credential = A.Credential(A.Program(), seed: 7, holder: A.Learner with { LegalName = "Émile Zola" });
        Assert.True(await new CosmosCredentialStore(_database, TestAnchors.Anchoring).TryCreateAsync(credential, CancellationToken.None));
        var tally = ComplianceTally.Empty("2026-12-02", shard: 3).With(credential, +1);
        Assert.True(await new CosmosComplianceTallies(_database).TryCreateAsync(tally, CancellationToken.None));

        var document = await RawAsync(CosmosLayout.Credentials, credential.CertificateId);
        var names = document.EnumerateObject().Select(p => p.Name).Where(n => !n.StartsWith('_')).ToList();
        Assert.Equal(names.Count, names.Distinct(StringComparer.Ordinal).Count());
        var own = JsonSerializer.SerializeToElement(credential, CredentialJson.Options).EnumerateObject().Select(p => p.Name);
        Assert.Equal(
            [.. own, "id", CosmosRenewalWindowRecords.WindowEndsAtField, CosmosUnsentEvents.EventsUnsentSinceField, CosmosStatusListRecords.BehindField, CosmosCredentialSearch.Field, CosmosRetentionRecords.StartField],
            names);
        Assert.Equal(credential.CertificateId, document.GetProperty("id").GetString());
        Assert.Equal("émile zola", document.GetProperty("search").GetProperty("legalName").GetString());

        var tallyDocument = await RawAsync(CosmosLayout.ComplianceTallies, tally.Id);
        Assert.Single(tallyDocument.EnumerateObject(), p => p.Name == "id");
        Assert.Equal(tally.Id, tallyDocument.GetProperty("id").GetString());
    }

    /// <summary>Each thread writes its documents in one buffer it keeps: one written after larger ones holds only its own JSON.</summary>
    [Fact]
    public void A_document_written_after_larger_ones_on_the_same_thread_holds_its_own_json_only()
    {
        // Larger than the buffer a thread keeps, then larger than the last one, then the last one.
        var (huge, large, small) = (A.Credential(seed: 71), A.Credential(seed: 72), A.Credential(seed: 73));
        huge = huge with { Holder = huge.Holder with { LegalName = new string('h', 200_000) } };
        large = large with { Holder = large.Holder with { LegalName = new string('l', 20_000) } };

        foreach (var credential in new[] { huge, large, small, large, small })
        {
            using var json = CosmosDocuments.ToDocument(credential, credential.CertificateId, ("after", 1)).ToStream();
            var document = JsonDocument.Parse(json).RootElement;
            var names = document.EnumerateObject().Select(p => p.Name).ToList();
            Assert.Equal([.. JsonSerializer.SerializeToElement(credential, CredentialJson.Options).EnumerateObject().Select(p => p.Name), "id", "after"], names);
            Assert.Equal((credential.CertificateId, credential.Holder.LegalName), (document.GetProperty("id").GetString(), document.GetProperty("holder").GetProperty("legalName").GetString()));
        }
    }

    private async Task<JsonElement> RawAsync(ContainerLayout layout, string id)
    {
        using var response = await _database.Container(layout).ReadItemStreamAsync(id, new Microsoft.Azure.Cosmos.PartitionKey(id));
        response.EnsureSuccessStatusCode();
        return (await JsonDocument.ParseAsync(response.Content)).RootElement.Clone();
    }

    [Fact]
    public async Task A_credential_that_would_near_the_item_limit_is_refused_before_it_is_sent_and_the_stored_one_stays()
    {
        var store = new CosmosCredentialStore(_database, TestAnchors.Anchoring);
        var credential = A.Credential(seed: 42);
        Assert.True(await store.TryCreateAsync(credential, CancellationToken.None));
        var stored = await store.GetAsync(credential.CertificateId, CancellationToken.None);
        var swollen = credential with { Holder = credential.Holder with { LegalName = new string('x', 1_900_000) } };
        var fresh = A.Credential(seed: 43);
        var swollenFresh = fresh with { Holder = fresh.Holder with { LegalName = new string('x', 1_900_000) } };

        var replace = await Assert.ThrowsAsync<RecordTooLargeException>(() => store.ReplaceAsync(swollen, stored!.ETag, CancellationToken.None));
        var create = await Assert.ThrowsAsync<RecordTooLargeException>(() => store.TryCreateAsync(swollenFresh, CancellationToken.None));

        Assert.Equal((credential.CertificateId, fresh.CertificateId), (replace.Id, create.Id));
        var after = await store.GetAsync(credential.CertificateId, CancellationToken.None);
        Assert.Equal((stored!.ETag, credential.Holder.LegalName), (after!.ETag, after.Value.Holder.LegalName));
        Assert.Null(await store.GetAsync(fresh.CertificateId, CancellationToken.None));
    }

    [Fact]
    public async Task A_missing_credential_reads_as_null()
        => Assert.Null(await new CosmosCredentialStore(_database, TestAnchors.Anchoring).GetAsync("NOPE-NOPE-NOPE-NOPE", CancellationToken.None));

    [Fact]
    public async Task Creating_the_same_certificate_id_twice_is_refused()
    {
        var store = new CosmosCredentialStore(_database, TestAnchors.Anchoring);
        var credential = A.Credential(seed: 2);
        Assert.True(await store.TryCreateAsync(credential, CancellationToken.None));
        Assert.False(await store.TryCreateAsync(credential, CancellationToken.None));
    }

    [Fact]
    public async Task A_write_with_a_stale_etag_is_a_concurrency_conflict()
    {
        var store = new CosmosCredentialStore(_database, TestAnchors.Anchoring);
        var credential = A.Credential(seed: 3);
        await store.TryCreateAsync(credential, CancellationToken.None);
        var first = (await store.GetAsync(credential.CertificateId, CancellationToken.None))!;
        await store.ReplaceAsync(first.Value.Revoke(A.Jan1.AddDays(1), "pm", "first writer").Credential, first.ETag, CancellationToken.None);
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() =>
            store.ReplaceAsync(first.Value.Revoke(A.Jan1.AddDays(1), "pm", "second writer").Credential, first.ETag, CancellationToken.None));
    }

    [Fact]
    public async Task Concurrent_updates_through_the_updater_lose_nothing()
    {
        var store = new CosmosCredentialStore(_database, TestAnchors.Anchoring);
        var credential = A.Credential(seed: 4);
        await store.TryCreateAsync(credential, CancellationToken.None);
        var updater = new CredentialUpdater(store);
        var expiry = credential.ExpiresAt!.Value;
        // Ten writers each extend grace by their own number of days; ETag retries must keep all ten entries.
        await Task.WhenAll(Enumerable.Range(1, 10).Select(i => Task.Run(() => updater.UpdateAsync(credential.CertificateId,
            c => c.ExtendGrace(c.Schedule!.GraceEndsAt.AddDays(1), A.Jan1.AddDays(i), $"pm:{i}", $"extension {i}"), CancellationToken.None))));
        var final = (await store.GetAsync(credential.CertificateId, CancellationToken.None))!.Value;
        Assert.Equal(10, final.GraceExtensions.Count);
        Assert.Equal(expiry.AddDays(40), final.Schedule!.GraceEndsAt);
        Assert.True(final.VerifyAuditTrail().IsIntact);
    }

    [Fact]
    public async Task Program_versions_are_kept_and_the_current_one_is_the_highest()
    {
        var store = new CosmosProgramStore(_database);
        var v1 = A.Program();
        var v2 = v1.Revise(v1.Definition with { PassThreshold = 80 }, A.Jan1.AddDays(1), "pm");
        await store.AddVersionAsync(v1, CancellationToken.None);
        await store.AddVersionAsync(v2, CancellationToken.None);
        Assert.Equal(2, (await store.GetCurrentAsync(v1.ProgramId, CancellationToken.None))!.Version);
        Assert.Equal(70, (await store.GetVersionAsync(v1.ProgramId, 1, CancellationToken.None))!.Definition.PassThreshold);
        Assert.Null(await store.GetCurrentAsync("unknown", CancellationToken.None));
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => store.AddVersionAsync(v2, CancellationToken.None));
    }

    [Fact]
    public async Task A_version_written_by_another_instance_is_current_at_once_for_one_that_read_the_older()
    {
        var (reader, writer) = (new CosmosProgramStore(_database), new CosmosProgramStore(_database));
        var v1 = A.Program();
        await writer.AddVersionAsync(v1, CancellationToken.None);
        Assert.Equal(1, (await reader.GetCurrentAsync(v1.ProgramId, CancellationToken.None))!.Version);
        Assert.Equal(1, (await reader.GetCurrentAsync(v1.ProgramId, CancellationToken.None))!.Version);

        await writer.AddVersionAsync(v1.Revise(v1.Definition with { PassThreshold = 80 }, A.Jan1.AddDays(1), "pm"), CancellationToken.None);

        var current = (await reader.GetCurrentAsync(v1.ProgramId, CancellationToken.None))!;
        Assert.Equal((2, 80), (current.Version, current.Definition.PassThreshold));
    }

    [Fact]
    public async Task A_receipt_is_written_once_and_read_back()
    {
        var store = new CosmosReceiptStore(_database);
        var receipt = new CompletionReceipt(new LmsCompletion("e1", new LmsLearner("1", "Grace Hopper", "grace@example.org"), "p", 90, A.Jan1), 1, AssessmentOutcome.Passed, "ABCD", A.Jan1);
        Assert.True(await store.TryCreateAsync("lms:e1", receipt, CancellationToken.None));
        Assert.False(await store.TryCreateAsync("lms:e1", receipt with { CertificateId = "OTHER" }, CancellationToken.None));
        Assert.Equal("ABCD", (await store.GetAsync<CompletionReceipt>("lms:e1", CancellationToken.None))!.CertificateId);
        Assert.Null(await store.GetAsync<CompletionReceipt>("lms:missing", CancellationToken.None));
    }
}
