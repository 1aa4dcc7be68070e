using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using CredentialFunctions.Application.Access;
using CredentialFunctions.Application.Applications;
using CredentialFunctions.Integration.Tests.Api;
using CredentialFunctions.Integration.Tests.Documents;
using CredentialFunctions.Testing.Api;
using CredentialFunctions.Testing.Blob;

namespace CredentialFunctions.Integration.Tests.Applications;

/// <summary>An API host whose application documents live in a real Azurite, in a container of its own that a test can list.</summary>
public sealed class DocumentApiFixture : IAsyncLifetime
{
    private readonly AzuriteFixture _azurite = new();

    public ApiHost Host { get; private set; } = null!;

    public BlobContainerClient Blobs { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await _azurite.InitializeAsync();
        var settings = _azurite.HostSettings();
        Host = await ApiHost.StartAsync(settings: settings);
        Blobs = new BlobContainerClient(_azurite.ConnectionString, settings["Documents:ContainerName"]);
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await _azurite.DisposeAsync();
    }
}

/// <summary>
/// The document routes against Azurite and the local Cosmos server: what a candidate uploads is
/// what the candidate and the reviewers download, and every refused upload leaves nothing in Blob
/// Storage (not even staged blocks) and nothing on the application.
/// </summary>
public sealed class ApplicationDocumentApiTests(DocumentApiFixture fixture) : IClassFixture<DocumentApiFixture>
{
    private const string Requirement = Applicants.RequiredDocument;

    private readonly ApiHost _api = fixture.Host;

    private static byte[] Pdf(int length)
    {
        var bytes = new byte[length];
        RandomNumberGenerator.Fill(bytes);
        "%PDF-1.7\n"u8.CopyTo(bytes);
        return bytes;
    }

    private Task<HttpResponseMessage> SendAsync(Applicant candidate, HttpMethod method, string path, HttpContent? content = null, Role role = Role.Learner)
        => _api.Client.SendAsync(candidate.Request(method, path, content, role));

    private Task<HttpResponseMessage> UploadAsync(Applicant candidate, string applicationId, HttpContent content, string query = $"fileName=diploma.pdf&requirement={Requirement}", Role role = Role.Learner)
        => SendAsync(candidate, HttpMethod.Post, $"/api/applications/{applicationId}/documents?{query}", content, role);

    private static ByteArrayContent FileContent(byte[] bytes, string mediaType = "application/pdf")
        => new(bytes) { Headers = { ContentType = new MediaTypeHeaderValue(mediaType) } };

    private async Task<(string Id, Applicant Candidate)> SubmitAsync() => await _api.ApplyAsync(await _api.CreateProgramAsync(Applicants.Program()));

    private Task<string> StoredAsync(string applicationId) => _api.ApplicationAsync(applicationId);

    /// <summary>Every blob under the application's folder, committed or only staged.</summary>
    private async Task<List<string>> BlobsOfAsync(string applicationId)
    {
        var names = new List<string>();
        await foreach (var blob in fixture.Blobs.GetBlobsAsync(new GetBlobsOptions { States = BlobStates.All, Prefix = applicationId + "/" }))
            names.Add(blob.Name);
        return names;
    }

    private async Task AssertNothingKeptAsync(string applicationId, string before)
    {
        Assert.Empty(await BlobsOfAsync(applicationId));
        Assert.Equal(before, await StoredAsync(applicationId));
    }

    [Fact]
    public async Task An_uploaded_document_is_recorded_with_its_SHA_256_and_downloads_as_it_was_for_the_candidate_and_a_reviewer()
    {
        var (id, candidate) = await SubmitAsync();
        var bytes = Pdf(1_500_000);

        using var uploaded = await UploadAsync(candidate, id, FileContent(bytes), $"fileName=Diplôme%20de%20master.pdf&requirement={Requirement}");
        var application = await ApiHost.ReadJsonAsync(uploaded);
        Assert.True(uploaded.StatusCode == HttpStatusCode.Created, application.ToString());
        var document = Assert.Single(application.GetProperty("documents").EnumerateArray());
        var documentId = document.GetProperty("documentId").GetString()!;
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes));

        Assert.Equal($"/api/applications/{id}/documents/{documentId}", uploaded.Headers.Location?.OriginalString);
        Assert.Equal((Requirement, "Diplôme de master.pdf", "application/pdf", (long)bytes.Length, sha256), (
            document.GetProperty("requirement").GetString(), document.GetProperty("fileName").GetString(), document.GetProperty("type").GetString(),
            document.GetProperty("length").GetInt64(), document.GetProperty("sha256").GetString()));
        var entry = application.GetProperty("history").EnumerateArray().Last();
        Assert.Equal(("attachDocument", $"user:{candidate.Subject}", sha256, documentId), (
            entry.GetProperty("action").GetString(), entry.GetProperty("actor").GetString(),
            entry.GetProperty("details").GetProperty("sha256").GetString(), entry.GetProperty("details").GetProperty("documentId").GetString()));

        using var byCandidate = await SendAsync(candidate, HttpMethod.Get, $"/api/applications/{id}/documents/{documentId}");
        using var byReviewer = await _api.SendAsync(HttpMethod.Get, $"/api/applications/{id}/documents/{documentId}", role: Role.ProgramManager);
        foreach (var download in new[] { byCandidate, byReviewer })
        {
            Assert.Equal(HttpStatusCode.OK, download.StatusCode);
            Assert.Equal("application/pdf", download.Content.Headers.ContentType?.MediaType);
            Assert.Equal("attachment", download.Content.Headers.ContentDisposition?.DispositionType);
            Assert.Equal("Diplôme de master.pdf", download.Content.Headers.ContentDisposition?.FileNameStar);
            Assert.Equal(bytes, await download.Content.ReadAsByteArrayAsync());
        }
        var listed = await ApiHost.ReadJsonAsync(await _api.SendAsync(HttpMethod.Get, $"/api/applications/{id}/documents", role: Role.Administrator));
        Assert.Equal([documentId], listed.GetProperty("documents").EnumerateArray().Select(d => d.GetProperty("documentId").GetString()));
        Assert.Equal([$"{id}/{documentId}"], await BlobsOfAsync(id));
    }

    [Fact]
    public async Task A_candidate_cannot_upload_to_someone_elses_application_and_nothing_is_kept()
    {
        var (id, _) = await SubmitAsync();
        var before = await StoredAsync(id);

        await Problem.AssertAsync(await UploadAsync(Applicant.New(), id, FileContent(Pdf(2048))), HttpStatusCode.Forbidden, "forbidden");

        await AssertNothingKeptAsync(id, before);
    }

    [Theory]
    [InlineData(Role.ProgramManager)]
    [InlineData(Role.Auditor)]
    public async Task Only_a_learner_uploads_documents(Role role)
    {
        var (id, candidate) = await SubmitAsync();
        var before = await StoredAsync(id);

        await Problem.AssertAsync(await UploadAsync(candidate, id, FileContent(Pdf(2048)), role: role), HttpStatusCode.Forbidden, "forbidden");

        await AssertNothingKeptAsync(id, before);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_document_over_10_MB_is_413_whether_or_not_its_length_is_declared_and_nothing_is_kept(bool declaresLength)
    {
        var (id, candidate) = await SubmitAsync();
        var before = await StoredAsync(id);
        const long length = IApplicationDocuments.MaxLength + 1;
        // Without a declared length the body is sent chunked, and the cap is found only by reading it.
        var content = new StreamContent(new GeneratedDocument(GeneratedDocument.PdfHead, length)) { Headers = { ContentType = new MediaTypeHeaderValue("application/pdf") } };
        if (declaresLength) content.Headers.ContentLength = length;

        var problem = await Problem.AssertAsync(await UploadAsync(candidate, id, content), HttpStatusCode.RequestEntityTooLarge, "document-too-large");

        Assert.Contains("10 MB", problem.GetProperty("detail").GetString());
        await AssertNothingKeptAsync(id, before);
    }

    [Fact]
    public async Task An_executable_sent_as_a_PDF_is_415_and_nothing_is_kept()
    {
        var (id, candidate) = await SubmitAsync();
        var before = await StoredAsync(id);
        // A Windows executable's header: "MZ", the DOS stub, and its PE offset.
        var exe = new byte[4096];
        new byte[] { 0x4D, 0x5A, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00 }.CopyTo(exe, 0);

        await Problem.AssertAsync(await UploadAsync(candidate, id, FileContent(exe), "fileName=diploma.pdf"), HttpStatusCode.UnsupportedMediaType, "unsupported-document-type");

        await AssertNothingKeptAsync(id, before);
    }

    [Fact]
    public async Task A_document_whose_application_was_approved_while_it_streamed_is_409_and_its_blob_is_deleted()
    {
        var (id, candidate) = await SubmitAsync();
        var content = new ApprovedMidway(Pdf(3 * 1024 * 1024), async () =>
        {
            using var approved = await _api.SendAsync(HttpMethod.Post, $"/api/applications/{id}/approve", new { }, Role.ProgramManager);
            Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        });

        await Problem.AssertAsync(await UploadAsync(candidate, id, content), HttpStatusCode.Conflict, "application-transition");

        Assert.True(content.Approved);
        Assert.Empty(await BlobsOfAsync(id));
        var application = JsonDocument.Parse(await StoredAsync(id)).RootElement;
        Assert.Equal("awaitingPayment", application.GetProperty("status").GetString());
        Assert.Empty(application.GetProperty("documents").EnumerateArray());
    }

    /// <summary>A body sent in two halves, with a reviewer's approval in between: the state changes after the check and before the write.</summary>
    private sealed class ApprovedMidway(byte[] bytes, Func<Task> approve) : HttpContent
    {
        public bool Approved { get; private set; }

        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            await stream.WriteAsync(bytes.AsMemory(0, bytes.Length / 2));
            await stream.FlushAsync();
            await approve();
            Approved = true;
            await stream.WriteAsync(bytes.AsMemory(bytes.Length / 2));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = -1;
            return false;
        }
    }

    [Fact]
    public async Task An_upload_to_an_unknown_application_is_404()
    {
        await Problem.AssertAsync(await UploadAsync(Applicant.New(), "app-none", FileContent(Pdf(2048))), HttpStatusCode.NotFound, "not-found");

        Assert.Empty(await BlobsOfAsync("app-none"));
    }

    [Fact]
    public async Task Once_approved_an_application_takes_no_documents_and_says_what_is_possible()
    {
        var (id, candidate) = await SubmitAsync();
        using var approved = await _api.SendAsync(HttpMethod.Post, $"/api/applications/{id}/approve", new { }, Role.ProgramManager);
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        var before = await StoredAsync(id);

        var problem = await Problem.AssertAsync(await UploadAsync(candidate, id, FileContent(Pdf(2048))), HttpStatusCode.Conflict, "application-transition");

        var possible = problem.GetProperty("possible").EnumerateArray().Select(p => p.GetString()).ToList();
        Assert.Contains("recordPayment", possible);
        Assert.DoesNotContain("attachDocument", possible);
        await AssertNothingKeptAsync(id, before);
    }

    [Theory]
    [InlineData("requirement=Degree%20certificate", "fileName")]
    [InlineData("fileName=%20&requirement=Degree%20certificate", "fileName")]
    [InlineData("fileName=diploma.pdf&requirement=Passport", "requirement")]
    [InlineData("fileName=diploma%E2%80%AEfdp.exe", "fileName")]
    public async Task An_upload_without_a_file_name_or_for_a_requirement_the_pathway_lacks_is_400_and_nothing_is_kept(string query, string field)
    {
        var (id, candidate) = await SubmitAsync();
        var before = await StoredAsync(id);

        var problem = await Problem.AssertAsync(await UploadAsync(candidate, id, FileContent(Pdf(2048)), query), HttpStatusCode.BadRequest, "validation");

        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        await AssertNothingKeptAsync(id, before);
    }

    [Fact]
    public async Task Strangers_and_auditors_neither_list_nor_download_a_candidates_documents()
    {
        var (id, candidate) = await SubmitAsync();
        using var uploaded = await UploadAsync(candidate, id, FileContent(Pdf(2048)));
        var documentId = uploaded.Headers.Location!.OriginalString.Split('/')[^1];
        var stranger = Applicant.New();

        await Problem.AssertAsync(await SendAsync(stranger, HttpMethod.Get, $"/api/applications/{id}/documents/{documentId}"), HttpStatusCode.Forbidden, "forbidden");
        await Problem.AssertAsync(await SendAsync(stranger, HttpMethod.Get, $"/api/applications/{id}/documents"), HttpStatusCode.Forbidden, "forbidden");
        await Problem.AssertAsync(await _api.SendAsync(HttpMethod.Get, $"/api/applications/{id}/documents/{documentId}", role: Role.Auditor), HttpStatusCode.Forbidden, "forbidden");
        await Problem.AssertAsync(await _api.SendAsync(HttpMethod.Get, $"/api/applications/{id}/documents/doc-none", role: Role.ProgramManager), HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task A_program_manager_of_another_program_neither_lists_nor_downloads_its_documents()
    {
        var (id, candidate) = await _api.ApplyAsync(await _api.CreateProgramAsync(Applicants.Program().With("managers", new[] { "pm-of-this-program" })));
        using var uploaded = await UploadAsync(candidate, id, FileContent(Pdf(2048)));
        var documentId = uploaded.Headers.Location!.OriginalString.Split('/')[^1];
        var otherManager = new Applicant("pm-of-another-program", "lms:none");
        var manager = new Applicant("pm-of-this-program", "lms:none");

        await Problem.AssertAsync(await SendAsync(otherManager, HttpMethod.Get, $"/api/applications/{id}/documents", role: Role.ProgramManager), HttpStatusCode.Forbidden, "forbidden");
        await Problem.AssertAsync(await SendAsync(otherManager, HttpMethod.Get, $"/api/applications/{id}/documents/{documentId}", role: Role.ProgramManager), HttpStatusCode.Forbidden, "forbidden");
        using var downloaded = await SendAsync(manager, HttpMethod.Get, $"/api/applications/{id}/documents/{documentId}", role: Role.ProgramManager);
        Assert.Equal(HttpStatusCode.OK, downloaded.StatusCode);
    }
}
