using System.Security.Cryptography;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using CredentialFunctions.Adapters;
using CredentialFunctions.Adapters.Documents;
using CredentialFunctions.Application.Applications;
using CredentialFunctions.Application.Ports;
using CredentialFunctions.Domain;
using CredentialFunctions.Domain.Credentials;
using CredentialFunctions.Testing.Blob;

namespace CredentialFunctions.Integration.Tests.Documents;

/// <summary>Application documents in Blob Storage, against a real Azurite: what is kept, what is refused, and that nothing refused is left behind.</summary>
public sealed class BlobApplicationDocumentsTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IAsyncLifetime
{
    private const string ApplicationId = "app-7QXM2K9DRH4T";
    private const long MaxLength = IApplicationDocuments.MaxLength;

    private BlobContainerClient _container = null!;
    private BlobApplicationDocuments _documents = null!;

    public async Task InitializeAsync()
    {
        _container = await azurite.CreateContainerAsync();
        _documents = new BlobApplicationDocuments(_container, new RandomIdSource());
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_stored_document_opens_with_the_same_bytes_and_SHA_256()
    {
        // Two and a half blocks, so the content crosses block boundaries.
        var bytes = Pdf(BlobApplicationDocuments.BlockSize * 5 / 2);

        var stored = await _documents.StoreAsync(ApplicationId, "diploma.pdf", new MemoryStream(bytes), CancellationToken.None);
        var opened = await _documents.OpenAsync(ApplicationId, stored.DocumentId, CancellationToken.None);

        Assert.Equal(new StoredDocument(stored.DocumentId, "diploma.pdf", DocumentType.Pdf, bytes.Length, Convert.ToHexStringLower(SHA256.HashData(bytes))), stored);
        Assert.Equal(stored, opened.Document);
        await using var content = opened.Content;
        Assert.Equal(bytes, await ReadAllAsync(content));
    }

    [Theory]
    [InlineData("89504E470D0A1A0A0000000D49484452", DocumentType.Png, "image/png")]
    [InlineData("FFD8FFE000104A464946", DocumentType.Jpeg, "image/jpeg")]
    [InlineData("255044462D312E340A", DocumentType.Pdf, "application/pdf")]
    public async Task The_blob_is_named_for_its_application_and_served_as_the_type_its_bytes_decide(string hex, DocumentType type, string mediaType)
    {
        var stored = await _documents.StoreAsync(ApplicationId, "evidence.bin", new MemoryStream(Convert.FromHexString(hex)), CancellationToken.None);

        var properties = (await _container.GetBlobClient($"{ApplicationId}/{stored.DocumentId}").GetPropertiesAsync()).Value;
        Assert.Equal(type, stored.Type);
        Assert.Equal(mediaType, properties.ContentType);
        Assert.Equal(stored.Sha256, properties.Metadata["sha256"]);
    }

    [Fact]
    public async Task A_file_name_outside_ASCII_survives_the_metadata_headers()
    {
        var stored = await _documents.StoreAsync(ApplicationId, "Diplôme d'ingénieur – 2024.pdf", new MemoryStream(Pdf(100)), CancellationToken.None);

        var opened = await _documents.OpenAsync(ApplicationId, stored.DocumentId, CancellationToken.None);

        Assert.Equal("Diplôme d'ingénieur – 2024.pdf", opened.Document.FileName);
        await opened.Content.DisposeAsync();
    }

    [Fact]
    public async Task A_document_of_exactly_the_cap_is_stored()
    {
        var stored = await _documents.StoreAsync(ApplicationId, "scan.pdf", new GeneratedDocument(GeneratedDocument.PdfHead, MaxLength), CancellationToken.None);

        Assert.Equal(MaxLength, stored.Length);
        Assert.Equal(MaxLength, (await _container.GetBlobClient($"{ApplicationId}/{stored.DocumentId}").GetPropertiesAsync()).Value.ContentLength);
    }

    [Fact]
    public async Task One_byte_over_the_cap_is_refused_and_nothing_is_left_in_the_container()
    {
        var refusal = await Assert.ThrowsAsync<DocumentTooLargeException>(() =>
            _documents.StoreAsync(ApplicationId, "scan.pdf", new GeneratedDocument(GeneratedDocument.PdfHead, MaxLength + 1), CancellationToken.None));

        Assert.Equal(MaxLength, refusal.MaxLength);
        Assert.Empty(await EverythingInTheContainerAsync());
    }

    [Fact]
    public async Task A_PDF_header_on_an_executable_body_is_stored_as_a_PDF()
    {
        byte[] bytes = [.. "%PDF-"u8.ToArray(), .. "MZ"u8.ToArray(), .. new byte[512]];

        var stored = await _documents.StoreAsync(ApplicationId, "setup.exe", new MemoryStream(bytes), CancellationToken.None);

        Assert.Equal(DocumentType.Pdf, stored.Type);
    }

    [Theory]
    [InlineData("4D5A90000300000004000000FFFF0000")]
    [InlineData("3C21444F43545950452068746D6C3E")]
    [InlineData("504B0304140006000800")]
    [InlineData("")]
    public async Task A_document_whose_bytes_are_not_an_accepted_type_is_refused_and_nothing_is_kept(string hex)
    {
        // Whatever the client claimed for it (application/pdf, diploma.pdf): the port is never told.
        await Assert.ThrowsAsync<UnsupportedDocumentTypeException>(() =>
            _documents.StoreAsync(ApplicationId, "diploma.pdf", new MemoryStream(Convert.FromHexString(hex)), CancellationToken.None));

        Assert.Empty(await EverythingInTheContainerAsync());
    }

    [Fact]
    public async Task A_stored_document_is_never_overwritten()
    {
        var documents = new BlobApplicationDocuments(_container, new OneDocumentId());
        var first = await documents.StoreAsync(ApplicationId, "first.pdf", new MemoryStream(Pdf(64)), CancellationToken.None);

        var collision = await Assert.ThrowsAsync<RequestFailedException>(() =>
            documents.StoreAsync(ApplicationId, "second.pdf", new MemoryStream(Pdf(128)), CancellationToken.None));

        Assert.Equal(409, collision.Status);
        Assert.Equal(first, (await documents.OpenAsync(ApplicationId, first.DocumentId, CancellationToken.None)).Document);
    }

    [Fact]
    public async Task A_missing_document_is_not_found()
    {
        var error = await Assert.ThrowsAsync<NotFoundException>(() => _documents.OpenAsync(ApplicationId, "doc-NOSUCHDOC000", CancellationToken.None));

        Assert.Equal("doc-NOSUCHDOC000", error.Id);
    }

    [Fact]
    public async Task A_document_is_found_only_under_its_own_application()
    {
        var stored = await _documents.StoreAsync(ApplicationId, "diploma.pdf", new MemoryStream(Pdf(64)), CancellationToken.None);

        await Assert.ThrowsAsync<NotFoundException>(() => _documents.OpenAsync("app-SOMEONEELSE", stored.DocumentId, CancellationToken.None));
    }

    [Theory]
    [InlineData("..")]
    [InlineData("../app-SOMEONEELSE/doc-1")]
    [InlineData("doc-1/..")]
    [InlineData("doc 1")]
    [InlineData("")]
    public async Task An_id_that_is_not_one_name_segment_is_not_found(string documentId)
    {
        await Assert.ThrowsAsync<NotFoundException>(() => _documents.OpenAsync(ApplicationId, documentId, CancellationToken.None));
    }

    private static byte[] Pdf(int length)
    {
        var bytes = new byte[length];
        new Random(length).NextBytes(bytes);
        "%PDF-1.7\n"u8.CopyTo(bytes);
        return bytes;
    }

    private static async Task<byte[]> ReadAllAsync(Stream content)
    {
        using var copy = new MemoryStream();
        await content.CopyToAsync(copy);
        return copy.ToArray();
    }

    /// <summary>Committed blobs and blobs that are only staged blocks so far: a refusal must leave neither.</summary>
    private async Task<List<string>> EverythingInTheContainerAsync()
    {
        var names = new List<string>();
        await foreach (var blob in _container.GetBlobsAsync(new GetBlobsOptions { States = BlobStates.All }))
            names.Add(blob.Name);
        return names;
    }

    /// <summary>Hands out the same document id every time, as a collision of random ids would.</summary>
    private sealed class OneDocumentId : IIdSource
    {
        public CertificateId NewCertificateId() => throw new NotSupportedException("Documents need no certificate ids.");

        public string NewId(string prefix) => prefix + "SAMEIDTWICE0";
    }
}
