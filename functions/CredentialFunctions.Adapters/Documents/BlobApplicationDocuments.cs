using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using Azure;
using Azure.Core;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using CredentialFunctions.Application.Applications;
using CredentialFunctions.Application.Ports;
using CredentialFunctions.Domain;

namespace CredentialFunctions.Adapters.Documents;

/// <summary>
/// Application documents as block blobs named <c>{applicationId}/{documentId}</c>. What a download
/// needs to know (file name, type, length, SHA-256) is the blob's own metadata, so opening a
/// document takes no database read.
/// </summary>
/// <remarks>
/// The upload stages one block per <see cref="BlockSize"/> bytes read, counting and hashing as it
/// goes, and commits the block list last with the metadata it has then measured. So the blob only
/// comes into being whole, with its SHA-256, and memory holds one block whatever the document's size.
/// </remarks>
public sealed class BlobApplicationDocuments(BlobContainerClient container, IIdSource ids) : IApplicationDocuments
{
    /// <summary>A 10 MB document is 10 requests of this size plus the commit; one buffer of it is all an upload holds.</summary>
    public const int BlockSize = 1024 * 1024;

    private static class Metadata
    {
        public const string FileName = "filename";
        public const string Type = "type";
        public const string Length = "length";
        public const string Sha256 = "sha256";
    }

    /// <summary>Local runs create the container the Bicep templates create in Azure.</summary>
    public Task EnsureContainerAsync(CancellationToken cancellationToken) =>
        container.CreateIfNotExistsAsync(PublicAccessType.None, cancellationToken: cancellationToken);

    public async Task<StoredDocument> StoreAsync(string applicationId, string fileName, Stream content, CancellationToken cancellationToken)
    {
        if (!IsNameSegment(applicationId)) throw new ArgumentException($"'{applicationId}' cannot name a folder of documents.", nameof(applicationId));
        var buffer = ArrayPool<byte>.Shared.Rent(BlockSize);
        try
        {
            var read = await content.ReadAtLeastAsync(buffer.AsMemory(0, BlockSize), BlockSize, throwOnEndOfStream: false, cancellationToken);
            var type = DocumentSignature.Decide(buffer.AsSpan(0, Math.Min(read, DocumentSignature.Length))) ?? throw new UnsupportedDocumentTypeException();
            var documentId = ids.NewId("doc-");
            var blob = container.GetBlockBlobClient(BlobName(applicationId, documentId));
            try
            {
                var (blockIds, length, sha256) = await StageAsync(blob, content, buffer, read, cancellationToken);
                var document = new StoredDocument(documentId, fileName, type, length, sha256);
                await blob.CommitBlockListAsync(blockIds, new CommitBlockListOptions
                {
                    HttpHeaders = new BlobHttpHeaders { ContentType = DocumentSignature.MediaType(type) },
                    Metadata = ToMetadata(document),
                    // Ids are random, so a blob already there is a collision to fail on, never one to replace.
                    Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
                }, cancellationToken);
                return document;
            }
            catch (DocumentTooLargeException)
            {
                await DiscardAsync(blob);
                throw;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public async Task<DocumentContent> OpenAsync(string applicationId, string documentId, CancellationToken cancellationToken)
    {
        // An id from a URL that is not one path segment ("..", "a/b") could address another
        // application's folder: no such document.
        if (!IsNameSegment(applicationId) || !IsNameSegment(documentId)) throw new NotFoundException("Document", documentId);
        try
        {
            var download = await container.GetBlobClient(BlobName(applicationId, documentId)).DownloadStreamingAsync(cancellationToken: cancellationToken);
            return new DocumentContent(FromMetadata(documentId, download.Value.Details.Metadata), download.Value.Content);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            throw new NotFoundException("Document", documentId);
        }
    }

    public async Task DeleteAsync(string applicationId, string documentId, CancellationToken cancellationToken)
    {
        if (!IsNameSegment(applicationId) || !IsNameSegment(documentId)) return;
        await container.GetBlobClient(BlobName(applicationId, documentId)).DeleteIfExistsAsync(cancellationToken: cancellationToken);
    }

    /// <summary>Stages the block already in <paramref name="buffer"/> and every one after it, refusing the document once it passes the cap.</summary>
    private static async Task<(List<string> BlockIds, long Length, string Sha256)> StageAsync(
        BlockBlobClient blob, Stream content, byte[] buffer, int read, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var blockIds = new List<string>();
        long length = 0;
        while (read > 0)
        {
            length += read;
            if (length > IApplicationDocuments.MaxLength) throw new DocumentTooLargeException(IApplicationDocuments.MaxLength);
            hash.AppendData(buffer, 0, read);
            var blockId = BlockId(blockIds.Count);
            using (var block = new MemoryStream(buffer, 0, read, writable: false))
                await blob.StageBlockAsync(blockId, block, cancellationToken: cancellationToken);
            blockIds.Add(blockId);
            read = await content.ReadAtLeastAsync(buffer.AsMemory(0, BlockSize), BlockSize, throwOnEndOfStream: false, cancellationToken);
        }
        return (blockIds, length, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    /// <summary>
    /// Drops the blocks staged for a refused document. Committing an empty list is what discards
    /// uncommitted blocks at once (they would otherwise wait a week for the service to expire them);
    /// the empty blob it leaves is then deleted.
    /// </summary>
    private static async Task DiscardAsync(BlockBlobClient blob)
    {
        // Not the caller's token: a refusal must not leave its blocks behind because the request ended.
        await blob.CommitBlockListAsync([], new CommitBlockListOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } }, CancellationToken.None);
        await blob.DeleteIfExistsAsync(cancellationToken: CancellationToken.None);
    }

    /// <summary>Block ids must all have one length within a blob: a block's position as four bytes, base64.</summary>
    private static string BlockId(int position)
    {
        Span<byte> bytes = stackalloc byte[sizeof(int)];
        BinaryPrimitives.WriteInt32BigEndian(bytes, position);
        return Convert.ToBase64String(bytes);
    }

    private static string BlobName(string applicationId, string documentId) => $"{applicationId}/{documentId}";

    private static bool IsNameSegment(string id) =>
        id.Length is > 0 and <= 128 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    /// <remarks>Metadata travels as HTTP headers, which carry ASCII only: the file name goes percent-encoded.</remarks>
    private static Dictionary<string, string> ToMetadata(StoredDocument document) => new()
    {
        [Metadata.FileName] = Uri.EscapeDataString(document.FileName),
        [Metadata.Type] = document.Type.ToString(),
        [Metadata.Length] = document.Length.ToString(CultureInfo.InvariantCulture),
        [Metadata.Sha256] = document.Sha256,
    };

    private static StoredDocument FromMetadata(string documentId, IDictionary<string, string> metadata) => new(
        documentId,
        Uri.UnescapeDataString(metadata[Metadata.FileName]),
        Enum.Parse<DocumentType>(metadata[Metadata.Type]),
        long.Parse(metadata[Metadata.Length], CultureInfo.InvariantCulture),
        metadata[Metadata.Sha256]);

    /// <summary>In Azure: the blob service URI and the managed identity. Locally: a connection string (Azurite).</summary>
    public static BlobContainerClient Container(DocumentOptions options, TokenCredential credential)
    {
        if (!string.IsNullOrWhiteSpace(options.ConnectionString))
            return new BlobContainerClient(options.ConnectionString, options.ContainerName);
        if (string.IsNullOrWhiteSpace(options.BlobServiceUri))
            throw new InvalidOperationException(
                $"Setting {DocumentOptions.Section}__{nameof(DocumentOptions.BlobServiceUri)} (or, locally, {DocumentOptions.Section}__{nameof(DocumentOptions.ConnectionString)}) is required.");
        return new BlobServiceClient(new Uri(options.BlobServiceUri), credential).GetBlobContainerClient(options.ContainerName);
    }
}
