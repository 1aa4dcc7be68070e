using System.Buffers.Text;
using System.Collections.Concurrent;
using System.IO.Compression;
using CredentialFunctions.Adapters;
using CredentialFunctions.Adapters.Cosmos;
using CredentialFunctions.Application;
using CredentialFunctions.Application.Ports;
using CredentialFunctions.Application.StatusLists;
using CredentialFunctions.Domain.Credentials;
using CredentialFunctions.Domain.StatusLists;
using CredentialFunctions.Testing.Anchors;
using CredentialFunctions.Testing.Cosmos;
using Microsoft.Extensions.Logging.Abstractions;

namespace CredentialFunctions.Integration.Tests.StatusLists;

/// <summary>
/// Status list allocation and publication against the local Cosmos server: indexes unique under
/// concurrent issuance, a new list when one is full, and a publication cut short between the
/// record's write and the list's, finished by the sweep.
/// </summary>
public sealed class StatusListPublisherTests(CosmosServerFixture cosmos) : IClassFixture<CosmosServerFixture>, IAsyncLifetime
{
    private CredentialDatabase _database = null!;
    private CosmosCredentialStore _credentials = null!;
    private CosmosStatusListStore _lists = null!;

    public async Task InitializeAsync()
    {
        _database = new CredentialDatabase(cosmos.Client, new CosmosOptions { DatabaseName = "status-" + Guid.NewGuid().ToString("N")[..8] });
        await _database.EnsureCreatedAsync(CancellationToken.None);
        _credentials = new CosmosCredentialStore(_database, TestAnchors.Anchoring);
        _lists = new CosmosStatusListStore(_database);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private StatusListPublisher Publisher(IStatusListStore? lists = null, IRandomSource? random = null)
        => new(lists ?? _lists, _credentials, new CredentialUpdater(_credentials), random ?? new CryptoRandomSource());

    private async Task<Credential[]> IssueAsync(int count, int firstSeed = 100)
    {
        var issued = Enumerable.Range(firstSeed, count).Select(seed => A.Credential(seed: seed)).ToArray();
        foreach (var c in issued) Assert.True(await _credentials.TryCreateAsync(c, CancellationToken.None));
        return issued;
    }

    private async Task<Credential> ReadAsync(string id) => (await _credentials.GetAsync(id, CancellationToken.None))!.Value;

    private async Task<StatusList> ListAsync(StatusPurpose purpose, int number) => (await _lists.GetAsync(StatusList.IdOf(purpose, number), CancellationToken.None))!.Value;

    [Fact]
    public async Task Issuances_racing_for_indexes_never_take_the_same_one()
    {
        var issued = await IssueAsync(16);
        // One publisher per issuance, as separate instances of the app would be.
        await Task.WhenAll(issued.Select(c => Task.Run(() => Publisher().AssignAsync(c.CertificateId, CancellationToken.None))));

        var records = await Task.WhenAll(issued.Select(c => ReadAsync(c.CertificateId)));
        foreach (var purpose in Enum.GetValues<StatusPurpose>())
        {
            var entries = records.Select(r => r.StatusLists!.For(purpose)).ToList();
            Assert.All(entries, e => Assert.Equal((purpose, 1, false), (e.Purpose, e.List, e.Published)));
            Assert.Equal(issued.Length, entries.Select(e => e.Index).Distinct().Count());
            var list = await ListAsync(purpose, 1);
            // Each instance took a block for its reserve and handed out one of it.
            Assert.Equal(Bitstring.MinimumLength - issued.Length * StatusListPublisher.ReservedAtOnce, list.Free);
            Assert.All(entries, e => Assert.True(list.Allocated[e.Index]));
        }
    }

    [Fact]
    public async Task One_instance_hands_out_its_reserve_and_writes_a_list_once_per_block()
    {
        var issued = await IssueAsync(StatusListPublisher.ReservedAtOnce + 8);
        var lists = new CountingStatusLists(_lists);
        var publisher = Publisher(lists);

        await Task.WhenAll(issued.Select(c => Task.Run(() => publisher.AssignAsync(c.CertificateId, CancellationToken.None))));

        var records = await Task.WhenAll(issued.Select(c => ReadAsync(c.CertificateId)));
        foreach (var purpose in Enum.GetValues<StatusPurpose>())
        {
            Assert.Equal(issued.Length, records.Select(r => r.StatusLists!.For(purpose).Index).Distinct().Count());
            Assert.Equal(Bitstring.MinimumLength - 2 * StatusListPublisher.ReservedAtOnce, (await ListAsync(purpose, 1)).Free);
        }
        Assert.Equal(4, lists.Replaced);
    }

    [Fact]
    public async Task A_block_takes_what_a_nearly_full_list_has_left_and_the_rest_from_the_next_list()
    {
        // List 1 with only its first three indexes free.
        Assert.True(await _lists.TryCreateAsync(FullList(StatusPurpose.Revocation, firstByte: 0b0001_1111), CancellationToken.None));
        var issued = await IssueAsync(5);
        var publisher = Publisher();

        foreach (var c in issued) await publisher.AssignAsync(c.CertificateId, CancellationToken.None);

        var entries = (await Task.WhenAll(issued.Select(c => ReadAsync(c.CertificateId)))).Select(r => r.StatusLists!.Revocation).ToList();
        Assert.Equal([1, 1, 1, 2, 2], entries.Select(e => e.List));
        Assert.Equal([0, 1, 2], entries.Take(3).Select(e => e.Index).Order());
        Assert.Equal(0, (await ListAsync(StatusPurpose.Revocation, 1)).Free);
        Assert.Equal(Bitstring.MinimumLength - StatusListPublisher.ReservedAtOnce, (await ListAsync(StatusPurpose.Revocation, 2)).Free);
    }

    [Fact]
    public async Task Indexes_are_spread_over_the_whole_list_not_handed_out_in_issue_order()
    {
        var issued = await IssueAsync(8);
        foreach (var c in issued) await Publisher().AssignAsync(c.CertificateId, CancellationToken.None);
        var indexes = (await Task.WhenAll(issued.Select(c => ReadAsync(c.CertificateId)))).Select(r => r.StatusLists!.Revocation.Index).ToList();
        // Eight indexes drawn from 131,072 all below 1,000, or in issue order, would be a one-in-billions fluke.
        Assert.Contains(indexes, i => i > 1000);
        Assert.NotEqual(indexes.Order(), indexes);
    }

    [Fact]
    public async Task A_full_list_sends_the_next_credential_to_a_new_list()
    {
        Assert.True(await _lists.TryCreateAsync(FullList(StatusPurpose.Revocation), CancellationToken.None));
        var c = (await IssueAsync(1))[0];

        var assigned = await Publisher().AssignAsync(c.CertificateId, CancellationToken.None);

        Assert.Equal(2, assigned.StatusLists!.Revocation.List);
        Assert.Equal(1, assigned.StatusLists.Suspension.List);
        Assert.Equal(Bitstring.MinimumLength - StatusListPublisher.ReservedAtOnce, (await ListAsync(StatusPurpose.Revocation, 2)).Free);
    }

    [Fact]
    public async Task A_list_found_full_is_not_read_again_and_the_list_with_room_is_read_once_per_block()
    {
        Assert.True(await _lists.TryCreateAsync(FullList(StatusPurpose.Revocation), CancellationToken.None));
        var issued = await IssueAsync(3 * StatusListPublisher.ReservedAtOnce);
        var lists = new CountingStatusLists(_lists);
        var publisher = Publisher(lists);

        // One block at a time, so each refill after the first starts from what the one before found.
        foreach (var block in issued.Chunk(StatusListPublisher.ReservedAtOnce))
            await Task.WhenAll(block.Select(c => publisher.AssignAsync(c.CertificateId, CancellationToken.None)));

        var entries = (await Task.WhenAll(issued.Select(c => ReadAsync(c.CertificateId)))).Select(r => r.StatusLists!.Revocation).ToList();
        Assert.All(entries, e => Assert.Equal(2, e.List));
        Assert.Equal(issued.Length, entries.Select(e => e.Index).Distinct().Count());
        // List 1: looked for and read for its write once, at the first refill. List 2: looked for once, then read for each of the three blocks' writes.
        Assert.Equal(2, lists.ReadsOf(StatusList.IdOf(StatusPurpose.Revocation, 1)));
        Assert.Equal(4, lists.ReadsOf(StatusList.IdOf(StatusPurpose.Revocation, 2)));
        Assert.Equal(4, lists.ReadsOf(StatusList.IdOf(StatusPurpose.Suspension, 1)));
    }

    /// <summary>List 1 with every index taken (but those <paramref name="firstByte"/> leaves clear), built from its encoding: 131,072 single-bit changes would copy 2 GB.</summary>
    private static StatusList FullList(StatusPurpose purpose, byte firstByte = 0xFF)
    {
        using var compressed = new MemoryStream();
        var bytes = Enumerable.Repeat((byte)0xFF, Bitstring.MinimumLength / 8).ToArray();
        bytes[0] = firstByte;
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true)) gzip.Write(bytes);
        return StatusList.Empty(purpose, 1) with { Allocated = Bitstring.Decode("u" + Base64Url.EncodeToString(compressed.ToArray())) };
    }

    [Fact]
    public async Task Publishing_sets_the_bits_of_revocation_and_suspension_and_lifting_clears_the_suspension_bit()
    {
        var c = (await IssueAsync(1))[0];
        var updater = new CredentialUpdater(_credentials);
        await Publisher().AssignAsync(c.CertificateId, CancellationToken.None);

        await updater.UpdateAsync(c.CertificateId, r => r.Suspend(A.Jan1.AddDays(1), "user:pm", "Inquiry"), CancellationToken.None);
        var suspended = await Publisher().PublishAsync(c.CertificateId, CancellationToken.None);
        Assert.False(suspended.StatusListsBehind);
        Assert.True((await ListAsync(StatusPurpose.Suspension, 1)).Bits[suspended.StatusLists!.Suspension.Index]);
        Assert.Equal(0, (await ListAsync(StatusPurpose.Revocation, 1)).Bits.CountSet());

        await updater.UpdateAsync(c.CertificateId, r => r.LiftSuspension(A.Jan1.AddDays(2), "user:pm", "Cleared"), CancellationToken.None);
        await Publisher().PublishAsync(c.CertificateId, CancellationToken.None);
        Assert.Equal(0, (await ListAsync(StatusPurpose.Suspension, 1)).Bits.CountSet());
    }

    [Fact]
    public async Task A_reinstated_credential_takes_a_fresh_revocation_index_and_the_revoked_one_stays_revoked()
    {
        var c = (await IssueAsync(1))[0];
        var updater = new CredentialUpdater(_credentials);
        await updater.UpdateAsync(c.CertificateId, r => r.Revoke(A.Jan1.AddDays(1), "user:pm", "Fraud"), CancellationToken.None);
        var revoked = await Publisher().PublishAsync(c.CertificateId, CancellationToken.None);
        var revokedIndex = revoked.StatusLists!.Revocation.Index;

        await updater.UpdateAsync(c.CertificateId, r => r.Reinstate(A.Jan1.AddDays(2), "user:pm", "Appeal won"), CancellationToken.None);
        var reinstated = await Publisher().PublishAsync(c.CertificateId, CancellationToken.None);

        Assert.NotEqual(revokedIndex, reinstated.StatusLists!.Revocation.Index);
        Assert.False(reinstated.StatusListsBehind);
        var list = await ListAsync(StatusPurpose.Revocation, 1);
        Assert.True(list.Bits[revokedIndex]);
        Assert.False(list.Bits[reinstated.StatusLists.Revocation.Index]);
    }

    [Fact]
    public async Task A_revocation_whose_list_write_died_is_marked_behind_and_the_sweep_publishes_it()
    {
        var issued = await IssueAsync(3, firstSeed: 300);
        var updater = new CredentialUpdater(_credentials);
        foreach (var c in issued) await Publisher().AssignAsync(c.CertificateId, CancellationToken.None);
        var (dying, untouched) = (issued[0].CertificateId, issued[1].CertificateId);

        await updater.UpdateAsync(dying, r => r.Revoke(A.Jan1.AddDays(1), "user:pm", "Fraud"), CancellationToken.None);
        await Assert.ThrowsAsync<HttpRequestException>(() => Publisher(new DyingListStore(_lists)).PublishAsync(dying, CancellationToken.None));

        var afterCrash = await ReadAsync(dying);
        Assert.True(afterCrash.StatusListsBehind);
        Assert.False((await ListAsync(StatusPurpose.Revocation, 1)).Bits[afterCrash.StatusLists!.Revocation.Index]);

        var report = await new StatusListReconciliation(new CosmosStatusListRecords(_database), Publisher(), NullLogger<StatusListReconciliation>.Instance).RunAsync(CancellationToken.None);

        Assert.Equal(new StatusListReconciliationReport(1, 1, 0), report);
        var repaired = await ReadAsync(dying);
        Assert.False(repaired.StatusListsBehind);
        var list = await ListAsync(StatusPurpose.Revocation, 1);
        Assert.True(list.Bits[repaired.StatusLists!.Revocation.Index]);
        Assert.Equal(1, list.Bits.CountSet());
        Assert.False((await ReadAsync(untouched)).StatusListsBehind);
        // Nothing is left behind: a second sweep finds nothing.
        Assert.Equal(new StatusListReconciliationReport(0, 0, 0),
            await new StatusListReconciliation(new CosmosStatusListRecords(_database), Publisher(), NullLogger<StatusListReconciliation>.Instance).RunAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_revoked_credential_issued_before_the_lists_gets_its_entries_from_the_sweep()
    {
        var c = (await IssueAsync(1, firstSeed: 400))[0];
        await new CredentialUpdater(_credentials).UpdateAsync(c.CertificateId, r => r.Revoke(A.Jan1.AddDays(1), "user:pm", "Fraud"), CancellationToken.None);
        Assert.Null((await ReadAsync(c.CertificateId)).StatusLists);

        await new StatusListReconciliation(new CosmosStatusListRecords(_database), Publisher(), NullLogger<StatusListReconciliation>.Instance).RunAsync(CancellationToken.None);

        var published = await ReadAsync(c.CertificateId);
        Assert.True(published.StatusLists!.Revocation.Published);
        Assert.True((await ListAsync(StatusPurpose.Revocation, 1)).Bits[published.StatusLists.Revocation.Index]);
    }

    /// <summary>The store dies when the bit is to be written: after the record's write, before the list's.</summary>
    private sealed class DyingListStore(IStatusListStore inner) : IStatusListStore
    {
        private readonly ConcurrentDictionary<string, int> _reads = new();

        public int ReadsOf(string id) => _reads.GetValueOrDefault(id);

        public Task<Versioned<StatusList>?> GetAsync(string id, CancellationToken cancellationToken)
        {
            _reads.AddOrUpdate(id, 1, (_, n) => n + 1);
            return inner.GetAsync(id, cancellationToken);
        }

        public Task<bool> TryCreateAsync(StatusList list, CancellationToken cancellationToken) => inner.TryCreateAsync(list, cancellationToken);

        public Task<string> ReplaceAsync(StatusList list, string etag, CancellationToken cancellationToken)
            => throw new HttpRequestException("The store went away.");
    }

    /// <summary>The list store, counting the ETag-guarded writes that take indexes.</summary>
    private sealed class CountingStatusLists(IStatusListStore inner) : IStatusListStore
    {
        private int _replaced;

        public int Replaced => _replaced;

        private readonly ConcurrentDictionary<string, int> _reads = new();

        public int ReadsOf(string id) => _reads.GetValueOrDefault(id);

        public Task<Versioned<StatusList>?> GetAsync(string id, CancellationToken cancellationToken)
        {
            _reads.AddOrUpdate(id, 1, (_, n) => n + 1);
            return inner.GetAsync(id, cancellationToken);
        }

        public Task<bool> TryCreateAsync(StatusList list, CancellationToken cancellationToken) => inner.TryCreateAsync(list, cancellationToken);

        public Task<string> ReplaceAsync(StatusList list, string etag, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _replaced);
            return inner.ReplaceAsync(list, etag, cancellationToken);
        }
    }
}
