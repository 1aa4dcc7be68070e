namespace CredentialFunctions.Application;

/// <summary>
/// A batch's many independent calls a few at a time, each result in its item's place: how a cohort
/// batch's rows are handled and how a store or transport that has no batch call of its own takes a
/// batch's writes.
/// </summary>
public static class Concurrently
{
    /// <summary>
    /// A batch's single calls in flight at once (its creates, its events' sends, its reads by id):
    /// each is one round trip, and more of them at once than a batch handles rows keep the store busy
    /// while the batch's own work runs. Times the batches a worker runs at once, the load one worker
    /// puts on the store.
    /// </summary>
    public const int BatchCalls = 8;

    /// <summary>Each item's result in the items' order, <paramref name="atOnce"/> at a time.</summary>
    public static async Task<IReadOnlyList<T>> EachAsync<TItem, T>(IReadOnlyList<TItem> items, int atOnce, Func<TItem, Task<T>> handle, CancellationToken cancellationToken)
    {
        var results = new T[items.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, items.Count), new ParallelOptions { MaxDegreeOfParallelism = atOnce, CancellationToken = cancellationToken },
            async (i, _) => results[i] = await handle(items[i]));
        return results;
    }
}
