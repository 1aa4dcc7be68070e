using CredentialFunctions.Adapters;
using CredentialFunctions.Adapters.Documents;
using CredentialFunctions.Application.Applications;
using CredentialFunctions.Testing.Blob;
using Xunit.Abstractions;

namespace CredentialFunctions.Integration.Tests.Documents;

/// <summary>Alone, so that what the process allocates while it runs is the upload's.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AllocationCollection
{
    public const string Name = "allocations";
}

[Collection(AllocationCollection.Name)]
public sealed class DocumentStreamingMemoryTests(AzuriteFixture azurite, ITestOutputHelper output) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task A_10_MB_upload_from_a_stream_that_cannot_seek_allocates_a_fraction_of_its_size()
    {
        var documents = new BlobApplicationDocuments(await azurite.CreateContainerAsync(), new RandomIdSource());
        // A first upload warms the connection pool, the pipeline and the pooled block buffer.
        await documents.StoreAsync("app-WARMUP", "warm-up.pdf", new GeneratedDocument(GeneratedDocument.PdfHead, BlobApplicationDocuments.BlockSize + 1), CancellationToken.None);

        var before = GC.GetTotalAllocatedBytes(precise: true);
        var stored = await documents.StoreAsync("app-MEASURED", "scan.pdf", new GeneratedDocument(GeneratedDocument.PdfHead, IApplicationDocuments.MaxLength), CancellationToken.None);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        output.WriteLine($"Storing {stored.Length:N0} bytes allocated {allocated:N0} bytes.");
        Assert.Equal(IApplicationDocuments.MaxLength, stored.Length);
        // One block is 1 MiB and is rented, not allocated; the bound leaves room for the SDK's
        // per-request objects and whatever else the process does meanwhile, and is still a quarter
        // of the document: a copy of it anywhere would fail this.
        Assert.InRange(allocated, 0, IApplicationDocuments.MaxLength / 4);
    }
}
