using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using CredentialFunctions.Application;
using CredentialFunctions.Application.Ports;
using CredentialFunctions.Domain;
using Microsoft.Azure.Cosmos;

namespace CredentialFunctions.Adapters.Cosmos;

/// <summary>
/// Document I/O through the SDK's stream API: our own System.Text.Json contract (the same as the
/// API's), status codes instead of exceptions for the expected 404/409/412, and no second
/// serializer to keep in step.
/// </summary>
internal static class CosmosDocuments
{
    /// <summary>
    /// Cosmos DB refuses an item over 2 MB (system properties included) only after the round trip,
    /// as an error nobody can act on. Refusing at 1.75 MiB leaves room for the system properties and
    /// names the record, before anything is sent.
    /// </summary>
    public const int MaxDocumentBytes = 1792 * 1024;

    public static async Task<(T Value, string ETag)?> ReadAsync<T>(Container container, string id, string partitionKey, CancellationToken cancellationToken)
    {
        using var response = await container.ReadItemStreamAsync(id, new PartitionKey(partitionKey), cancellationToken: cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        EnsureSuccess(response);
        var value = await JsonSerializer.DeserializeAsync<T>(response.Content, CredentialJson.Options, cancellationToken)
            ?? throw new InvalidOperationException($"Document {id} in {container.Id} is empty.");
        return (value, response.Headers.ETag);
    }

    /// <summary>Returns false when a document with that id already exists (409).</summary>
    public static async Task<bool> TryCreateAsync(Container container, JsonObject document, string partitionKey, CancellationToken cancellationToken)
        => await CreateIfAbsentAsync(container, document, partitionKey, cancellationToken) is not null;

    /// <summary>The new document's ETag; null when a document with that id already exists (409).</summary>
    public static async Task<string?> CreateIfAbsentAsync(Container container, JsonObject document, string partitionKey, CancellationToken cancellationToken)
    {
        using var response = await container.CreateItemStreamAsync(ToStream(document), new PartitionKey(partitionKey), WithoutContent(), cancellationToken);
        if (response.StatusCode == HttpStatusCode.Conflict) return null;
        EnsureSuccess(response);
        return response.Headers.ETag;
    }

    public static async Task<string> ReplaceAsync(Container container, JsonObject document, string id, string partitionKey, string etag, CancellationToken cancellationToken)
    {
        using var response = await container.ReplaceItemStreamAsync(ToStream(document), id, new PartitionKey(partitionKey),
            WithoutContent(etag), cancellationToken);
        if (response.StatusCode == HttpStatusCode.PreconditionFailed)
            throw new ConcurrencyConflictException($"Document {id} was changed by another writer.");
        if (response.StatusCode == HttpStatusCode.NotFound) throw new NotFoundException(container.Id, id);
        EnsureSuccess(response);
        return response.Headers.ETag;
    }

    /// <summary>Creates the document or writes it over the one of the same id: for a document its writer owns alone, rewritten the same on a retry.</summary>
    public static async Task UpsertAsync(Container container, JsonObject document, string partitionKey, CancellationToken cancellationToken)
    {
        using var response = await container.UpsertItemStreamAsync(ToStream(document), new PartitionKey(partitionKey), WithoutContent(), cancellationToken);
        EnsureSuccess(response);
    }

    /// <summary>
    /// A write answered without the document it wrote (<c>Prefer: return=minimal</c>): every writer
    /// here needs only the status and the new ETag, and a credential is several kilobytes the store
    /// would otherwise send back and the SDK read.
    /// </summary>
    private static ItemRequestOptions WithoutContent(string? ifMatch = null) => new() { IfMatchEtag = ifMatch, EnableContentResponseOnWrite = false };

    /// <summary>Deletes the document guarded by its ETag (null: whatever version is there); false when it is already gone.</summary>
    public static async Task<bool> DeleteAsync(Container container, string id, string partitionKey, string? etag, CancellationToken cancellationToken)
    {
        using var response = await container.DeleteItemStreamAsync(id, new PartitionKey(partitionKey), new ItemRequestOptions { IfMatchEtag = etag }, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound) return false;
        if (response.StatusCode == HttpStatusCode.PreconditionFailed)
            throw new ConcurrencyConflictException($"Document {id} was changed by another writer.");
        EnsureSuccess(response);
        return true;
    }

    /// <summary>The value's JSON with the document id added (the domain types do not know about storage ids).</summary>
    public static JsonObject ToDocument<T>(T value, string id, params (string Name, JsonNode? Value)[] extra)
    {
        var node = JsonSerializer.SerializeToNode(value, CredentialJson.Options)!.AsObject();
        node["id"] = id;
        foreach (var (name, v) in extra) node[name] = v;
        return node;
    }

    private static MemoryStream ToStream(JsonObject document)
    {
        var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream)) document.WriteTo(writer);
        if (stream.Length > MaxDocumentBytes) throw new RecordTooLargeException(document["id"]?.GetValue<string>() ?? "(no id)", stream.Length, MaxDocumentBytes);
        stream.Position = 0;
        return stream;
    }

    /// <summary>Anything but the expected answers is an outage or a bug: the SDK's own CosmosException carries the diagnostics.</summary>
    public static void EnsureSuccess(ResponseMessage response) => response.EnsureSuccessStatusCode();

    /// <summary>
    /// The next page of a query read through the stream API, and the token to continue from. Each
    /// document is read on its own, so one that does not read as <typeparamref name="T"/> comes back
    /// by id in <see cref="Page{T}.Unreadable"/> and the rest of the page still reads.
    /// </summary>
    public static async Task<Page<T>> ReadPageAsync<T>(FeedIterator iterator, CancellationToken cancellationToken)
    {
        using var page = await iterator.ReadNextAsync(cancellationToken);
        EnsureSuccess(page);
        var body = await JsonSerializer.DeserializeAsync<QueryPage>(page.Content, CredentialJson.Options, cancellationToken);
        var (items, unreadable) = (new List<T>(), new List<UnreadableDocument>());
        foreach (var document in body?.Documents ?? [])
        {
            try
            {
                items.Add(document.Deserialize<T>(CredentialJson.Options) ?? throw new JsonException("The document is null."));
            }
            // Whatever a damaged document makes the serializer, a converter or a domain constructor throw: reading is pure, so nothing is half-done.
            catch (Exception e)
            {
                unreadable.Add(new UnreadableDocument(
                    document.ValueKind == JsonValueKind.Object && document.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString()! : "(no id)",
                    e.Message));
            }
        }
        return new Page<T>(items, page.ContinuationToken) { Unreadable = unreadable };
    }

    /// <summary>For a caller that cannot act on part of a page (a uniqueness check, the latest version): a document that does not read fails the read, by id.</summary>
    public static async Task<IReadOnlyList<T>> ReadWholePageAsync<T>(FeedIterator iterator, Container container, CancellationToken cancellationToken)
    {
        var page = await ReadPageAsync<T>(iterator, cancellationToken);
        if (page.Unreadable is [var first, ..])
            throw new InvalidOperationException($"Document {first.Id} in {container.Id} does not read as {typeof(T).Name}: {first.Reason}");
        return page.Items;
    }

    /// <summary>A whole page with each document's ETag, for a caller that replaces what it queried under the version it read.</summary>
    public static async Task<IReadOnlyList<Versioned<T>>> ReadWholeVersionedPageAsync<T>(FeedIterator iterator, Container container, CancellationToken cancellationToken)
    {
        using var page = await iterator.ReadNextAsync(cancellationToken);
        EnsureSuccess(page);
        var body = await JsonSerializer.DeserializeAsync<QueryPage>(page.Content, CredentialJson.Options, cancellationToken);
        return [.. (body?.Documents ?? []).Select(document => new Versioned<T>(
            document.Deserialize<T>(CredentialJson.Options) ?? throw new InvalidOperationException($"A document in {container.Id} is null."),
            document.GetProperty("_etag").GetString() ?? throw new InvalidOperationException($"A document in {container.Id} has no ETag.")))];
    }

    private sealed record QueryPage(IReadOnlyList<JsonElement> Documents);
}
