using System.Net;
using CredentialFunctions.Testing.Cosmos;
using Microsoft.Azure.Cosmos;

namespace CredentialFunctions.Integration.Tests.Cosmos;

/// <summary>
/// The Cosmos DB operations the app relies on, through the real SDK against tools/cosmos-local:
/// if one of these fails, the local store and Azure would behave differently.
/// </summary>
public sealed class LocalCosmosServerTests(CosmosServerFixture server) : IClassFixture<CosmosServerFixture>, IAsyncLifetime
{
    private Database database = null!;

    private sealed record Item(string Id, string Tenant, int Rank, string Label = "");

    private sealed record Counter(string Id, int Value);

    /// <summary>xunit makes an instance per test, so every test has a database of its own.</summary>
    public async Task InitializeAsync() => database = await server.CreateDatabaseAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<Container> NewContainerAsync(string partitionKeyPath = "/tenant") =>
        (await database.CreateContainerAsync("items", partitionKeyPath)).Container;

    private static async Task<List<T>> ReadAllAsync<T>(FeedIterator<T> iterator)
    {
        var items = new List<T>();
        while (iterator.HasMoreResults) items.AddRange(await iterator.ReadNextAsync());
        return items;
    }

    private static async Task<Container> SeedAsync(Container container, params Item[] items)
    {
        foreach (var item in items) await container.CreateItemAsync(item, new PartitionKey(item.Tenant));
        return container;
    }

    [Fact]
    public async Task A_container_keeps_the_partition_key_path_it_was_created_with()
    {
        var container = await NewContainerAsync("/tenant");

        var properties = (await container.ReadContainerAsync()).Resource;

        Assert.Equal("/tenant", properties.PartitionKeyPath);
    }

    [Fact]
    public async Task A_created_item_comes_back_from_a_point_read_with_the_same_etag()
    {
        var container = await NewContainerAsync();
        var item = new Item("a", "t1", 1, "first");

        var created = await container.CreateItemAsync(item, new PartitionKey("t1"));
        var read = await container.ReadItemAsync<Item>("a", new PartitionKey("t1"));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(item, read.Resource);
        Assert.Equal(created.ETag, read.ETag);
    }

    [Fact]
    public async Task A_point_read_of_a_missing_item_is_not_found()
    {
        var container = await SeedAsync(await NewContainerAsync(), new Item("a", "t1", 1));

        var missingId = await Assert.ThrowsAsync<CosmosException>(() => container.ReadItemAsync<Item>("b", new PartitionKey("t1")));
        var wrongPartition = await Assert.ThrowsAsync<CosmosException>(() => container.ReadItemAsync<Item>("a", new PartitionKey("t2")));

        Assert.Equal(HttpStatusCode.NotFound, missingId.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, wrongPartition.StatusCode);
    }

    [Fact]
    public async Task Creating_an_id_that_exists_in_the_partition_is_a_conflict()
    {
        var container = await SeedAsync(await NewContainerAsync(), new Item("a", "t1", 1));

        var conflict = await Assert.ThrowsAsync<CosmosException>(() => container.CreateItemAsync(new Item("a", "t1", 2), new PartitionKey("t1")));

        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
    }

    [Fact]
    public async Task Replacing_with_a_stale_etag_fails_the_precondition_and_changes_nothing()
    {
        var container = await NewContainerAsync();
        var created = await container.CreateItemAsync(new Item("a", "t1", 1), new PartitionKey("t1"));
        await container.ReplaceItemAsync(new Item("a", "t1", 2), "a", new PartitionKey("t1"));

        var stale = await Assert.ThrowsAsync<CosmosException>(() => container.ReplaceItemAsync(
            new Item("a", "t1", 3), "a", new PartitionKey("t1"), new ItemRequestOptions { IfMatchEtag = created.ETag }));

        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        Assert.Equal(2, (await container.ReadItemAsync<Item>("a", new PartitionKey("t1"))).Resource.Rank);
    }

    [Fact]
    public async Task Upsert_creates_a_missing_item_and_replaces_an_existing_one()
    {
        var container = await NewContainerAsync();

        var first = await container.UpsertItemAsync(new Item("a", "t1", 1), new PartitionKey("t1"));
        var second = await container.UpsertItemAsync(new Item("a", "t1", 2), new PartitionKey("t1"));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(2, (await container.ReadItemAsync<Item>("a", new PartitionKey("t1"))).Resource.Rank);
    }

    [Fact]
    public async Task A_deleted_item_is_gone()
    {
        var container = await SeedAsync(await NewContainerAsync(), new Item("a", "t1", 1));

        var deleted = await container.DeleteItemAsync<Item>("a", new PartitionKey("t1"));

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        var gone = await Assert.ThrowsAsync<CosmosException>(() => container.ReadItemAsync<Item>("a", new PartitionKey("t1")));
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task A_query_with_a_partition_key_returns_only_that_partition()
    {
        var container = await SeedAsync(await NewContainerAsync(),
            new Item("a", "t1", 1), new Item("b", "t2", 2), new Item("c", "t1", 3));

        var items = await ReadAllAsync(container.GetItemQueryIterator<Item>(
            "SELECT * FROM c", requestOptions: new QueryRequestOptions { PartitionKey = new PartitionKey("t1") }));

        Assert.Equal(["a", "c"], items.Select(i => i.Id).Order());
    }

    [Fact]
    public async Task A_cross_partition_query_filters_and_orders()
    {
        var container = await SeedAsync(await NewContainerAsync(),
            new Item("a", "t1", 3), new Item("b", "t2", 1), new Item("c", "t3", 2), new Item("d", "t1", 0));

        var items = await ReadAllAsync(container.GetItemQueryIterator<Item>(
            "SELECT * FROM c WHERE c.rank > 0 ORDER BY c.rank DESC"));

        Assert.Equal(["a", "c", "b"], items.Select(i => i.Id));
    }

    [Fact]
    public async Task Offset_and_limit_skip_and_take_from_the_ordered_result()
    {
        var container = await SeedAsync(await NewContainerAsync(),
            Enumerable.Range(1, 6).Select(n => new Item($"i{n}", $"t{n % 2}", n)).ToArray());

        var items = await ReadAllAsync(container.GetItemQueryIterator<Item>(
            "SELECT * FROM c ORDER BY c.rank OFFSET 1 LIMIT 3"));

        Assert.Equal([2, 3, 4], items.Select(i => i.Rank));
    }

    [Fact]
    public async Task A_query_pages_through_continuation_tokens()
    {
        var container = await SeedAsync(await NewContainerAsync(),
            Enumerable.Range(1, 5).Select(n => new Item($"i{n}", $"t{n % 2}", n)).ToArray());
        const string query = "SELECT * FROM c ORDER BY c.rank";
        var options = new QueryRequestOptions { MaxItemCount = 2 };

        var pages = new List<int[]>();
        string? continuation = null;
        do
        {
            // A fresh iterator per page, as an HTTP caller resumes from a token it was handed.
            var page = await container.GetItemQueryIterator<Item>(query, continuation, options).ReadNextAsync();
            pages.Add(page.Select(i => i.Rank).ToArray());
            continuation = page.ContinuationToken;
        }
        while (continuation is not null);

        Assert.Equal([[1, 2], [3, 4], [5]], pages);
    }

    [Fact]
    public async Task A_query_binds_its_parameters()
    {
        var container = await SeedAsync(await NewContainerAsync(),
            new Item("a", "t1", 1, "x"), new Item("b", "t2", 2, "y"), new Item("c", "t1", 3, "x"));

        var items = await ReadAllAsync(container.GetItemQueryIterator<Item>(
            new QueryDefinition("SELECT * FROM c WHERE c.label = @label AND c.rank >= @min")
                .WithParameter("@label", "x")
                .WithParameter("@min", 2)));

        Assert.Equal(["c"], items.Select(i => i.Id));
    }

    [Fact]
    public async Task The_change_feed_returns_each_change_once_from_the_beginning_or_from_now()
    {
        var container = await SeedAsync(await NewContainerAsync(), new Item("a", "t1", 1), new Item("b", "t2", 1));

        var fromBeginning = container.GetChangeFeedIterator<Item>(ChangeFeedStartFrom.Beginning(), ChangeFeedMode.LatestVersion);
        var fromNow = container.GetChangeFeedIterator<Item>(ChangeFeedStartFrom.Now(), ChangeFeedMode.LatestVersion);
        Assert.Equal(["a", "b"], (await ReadChangesAsync(fromBeginning)).Items);
        Assert.Empty((await ReadChangesAsync(fromNow)).Items);

        await container.UpsertItemAsync(new Item("a", "t1", 2), new PartitionKey("t1"));
        await container.CreateItemAsync(new Item("c", "t3", 1), new PartitionKey("t3"));

        var (changedSinceBeginning, continuation) = await ReadChangesAsync(fromBeginning);
        Assert.Equal(["a", "c"], changedSinceBeginning);
        Assert.Equal(["a", "c"], (await ReadChangesAsync(fromNow)).Items);

        // A reader resuming from a saved continuation sees only what changed after it.
        await container.CreateItemAsync(new Item("d", "t1", 1), new PartitionKey("t1"));
        var resumed = container.GetChangeFeedIterator<Item>(ChangeFeedStartFrom.ContinuationToken(continuation), ChangeFeedMode.LatestVersion);
        Assert.Equal(["d"], (await ReadChangesAsync(resumed)).Items);
    }

    /// <summary>Reads until the feed says there is nothing new (304), as a change feed poller does.</summary>
    private static async Task<(List<string> Items, string Continuation)> ReadChangesAsync(FeedIterator<Item> feed)
    {
        var ids = new List<string>();
        while (true)
        {
            var page = await feed.ReadNextAsync();
            if (page.StatusCode == HttpStatusCode.NotModified) return (ids, page.ContinuationToken);
            ids.AddRange(page.Select(i => i.Id));
        }
    }

    [Fact]
    public async Task Two_writers_retrying_on_etag_conflicts_lose_no_increment()
    {
        var container = await NewContainerAsync("/id");
        await container.CreateItemAsync(new Counter("counter", 0), new PartitionKey("counter"));
        const int incrementsPerWriter = 25;

        async Task IncrementAsync()
        {
            using var client = server.CreateClient();
            var own = client.GetContainer(database.Id, container.Id);
            for (var done = 0; done < incrementsPerWriter;)
            {
                var current = await own.ReadItemAsync<Counter>("counter", new PartitionKey("counter"));
                try
                {
                    await own.ReplaceItemAsync(current.Resource with { Value = current.Resource.Value + 1 }, "counter",
                        new PartitionKey("counter"), new ItemRequestOptions { IfMatchEtag = current.ETag });
                    done++;
                }
                catch (CosmosException e) when (e.StatusCode == HttpStatusCode.PreconditionFailed)
                {
                    // Someone else wrote since our read: read again and reapply.
                }
            }
        }

        await Task.WhenAll(Task.Run(IncrementAsync), Task.Run(IncrementAsync));

        Assert.Equal(2 * incrementsPerWriter, (await container.ReadItemAsync<Counter>("counter", new PartitionKey("counter"))).Resource.Value);
    }
}
