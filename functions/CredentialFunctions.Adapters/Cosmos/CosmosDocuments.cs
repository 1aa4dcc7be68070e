using System.Buffers;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
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
    public static async Task<bool> TryCreateAsync(Container container, CosmosDocument document, string partitionKey, CancellationToken cancellationToken)
        => await CreateIfAbsentAsync(container, document, partitionKey, cancellationToken) is not null;

    /// <summary>The new document's ETag; null when a document with that id already exists (409).</summary>
    public static async Task<string?> CreateIfAbsentAsync(Container container, CosmosDocument document, string partitionKey, CancellationToken cancellationToken)
    {
        using var response = await container.CreateItemStreamAsync(document.ToStream(), new PartitionKey(partitionKey), WithoutContent(), cancellationToken);
        if (response.StatusCode == HttpStatusCode.Conflict) return null;
        EnsureSuccess(response);
        return response.Headers.ETag;
    }

    public static async Task<string> ReplaceAsync(Container container, CosmosDocument document, string id, string partitionKey, string etag, CancellationToken cancellationToken)
    {
        using var response = await container.ReplaceItemStreamAsync(document.ToStream(), id, new PartitionKey(partitionKey),
            WithoutContent(etag), cancellationToken);
        if (response.StatusCode == HttpStatusCode.PreconditionFailed)
            throw new ConcurrencyConflictException($"Document {id} was changed by another writer.");
        if (response.StatusCode == HttpStatusCode.NotFound) throw new NotFoundException(container.Id, id);
        EnsureSuccess(response);
        return response.Headers.ETag;
    }

    /// <summary>Creates the document or writes it over the one of the same id: for a document its writer owns alone, rewritten the same on a retry.</summary>
    public static async Task UpsertAsync(Container container, CosmosDocument document, string partitionKey, CancellationToken cancellationToken)
    {
        using var response = await container.UpsertItemStreamAsync(document.ToStream(), new PartitionKey(partitionKey), WithoutContent(), cancellationToken);
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

    /// <summary>
    /// The value's JSON with the document id and the store's own fields (what its queries read)
    /// beside its members, in one object. The value is serialized straight to bytes and the fields
    /// written after its members: a document is written on every change of its record, and a node
    /// tree of it (serialize, parse, write again) cost more than the write's own work. A field that
    /// stands in for a member of the same name (an instant written sortable, an id the value carries)
    /// replaces it in a node tree, so no name is ever written twice.
    /// </summary>
    public static CosmosDocument ToDocument<T>(T value, string id, params (string Name, JsonNode? Value)[] fields)
    {
        // This thread's buffer and writer: nothing awaits between here and the copy out, and a
        // document is written on every change of its record, so they are not made anew each time.
        var (buffer, writer) = (t_buffer ??= new ArrayBufferWriter<byte>(KeptBufferBytes / 4), t_writer ??= new Utf8JsonWriter(Stream.Null, WriterOptions));
        buffer.ResetWrittenCount();
        try
        {
            var json = DocumentMembers<T>.Names.Contains("id") || fields.Any(f => DocumentMembers<T>.Names.Contains(f.Name))
                ? WriteOver(buffer, writer, value, id, fields)
                : WriteAfter(buffer, writer, value, id, fields);
            if (json.Length > MaxDocumentBytes) throw new RecordTooLargeException(id, json.Length, MaxDocumentBytes);
            return new CosmosDocument(json);
        }
        finally
        {
            // A rare large record does not keep a large buffer alive for the thread's life.
            if (buffer.Capacity > KeptBufferBytes) t_buffer = null;
            writer.Reset(Stream.Null);
        }
    }

    // Straight to a writer, not to a stream: the serializer's stream path writes resumably (so it can
    // flush part-way), which took half as long again as this and twice its memory for a credential's document.
    private static byte[] WriteAfter<T>(ArrayBufferWriter<byte> buffer, Utf8JsonWriter writer, T value, string id, (string Name, JsonNode? Value)[] fields)
    {
        writer.Reset(buffer);
        JsonSerializer.Serialize(writer, value, DocumentMembers<T>.TypeInfo);
        writer.Flush();
        var length = buffer.WrittenCount;
        if (length < 2 || buffer.WrittenSpan[0] != '{' || buffer.WrittenSpan[length - 1] != '}')
            throw new InvalidOperationException($"{typeof(T).Name} does not serialize as a JSON object, so it cannot be a document.");
        writer.Reset(buffer);
        writer.WriteStartObject();
        writer.WriteString("id", id);
        foreach (var (name, field) in fields)
        {
            writer.WritePropertyName(name);
            if (field is null) writer.WriteNullValue();
            else field.WriteTo(writer);
        }
        writer.WriteEndObject();
        writer.Flush();
        // The value's members, a comma, the fields without their opening brace: the value's closing brace written over.
        var members = buffer.WrittenSpan[..(length - 1)];
        var added = buffer.WrittenSpan[(length + 1)..];
        var json = new byte[members.Length + (members.Length > 1 ? 1 : 0) + added.Length];
        members.CopyTo(json);
        if (members.Length > 1) json[members.Length] = (byte)',';
        added.CopyTo(json.AsSpan(json.Length - added.Length));
        return json;
    }

    private static byte[] WriteOver<T>(ArrayBufferWriter<byte> buffer, Utf8JsonWriter writer, T value, string id, (string Name, JsonNode? Value)[] fields)
    {
        var node = JsonSerializer.SerializeToNode(value, DocumentMembers<T>.TypeInfo)!.AsObject();
        foreach (var (name, field) in fields.Prepend(("id", id))) node[name] = field;
        writer.Reset(buffer);
        node.WriteTo(writer);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    private const int KeptBufferBytes = 64 * 1024;

    [ThreadStatic] private static ArrayBufferWriter<byte>? t_buffer;
    [ThreadStatic] private static Utf8JsonWriter? t_writer;

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = CredentialJson.Options.Encoder, MaxDepth = CredentialJson.Options.MaxDepth };

    /// <summary>The JSON members of a type's contract, found once per type.</summary>
    private static class DocumentMembers<T>
    {
        public static readonly JsonTypeInfo<T> TypeInfo = (JsonTypeInfo<T>)CredentialJson.Options.GetTypeInfo(typeof(T));

        // A member the contract never writes ([JsonIgnore]) keeps its place in the contract without a getter.
        public static readonly HashSet<string> Names = TypeInfo.Kind == JsonTypeInfoKind.Object
            ? TypeInfo.Properties.Where(p => p.Get is not null).Select(p => p.Name).ToHashSet(StringComparer.Ordinal)
            : [];
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

/// <summary>A document's JSON as it is sent to the store, read afresh by each write of it.</summary>
internal sealed class CosmosDocument(byte[] json)
{
    public MemoryStream ToStream() => new(json, 0, json.Length, writable: false, publiclyVisible: true);
}
