using System.Text.RegularExpressions;

namespace CredentialFunctions.LocalHost;

/// <summary>
/// Runs tools/azurite (Azurite's Blob service, kept in memory) as a child process and stops it on
/// dispose. The local host starts one when no documents storage is configured, and the document
/// tests start their own.
/// </summary>
public sealed partial class LocalBlobServer : IAsyncDisposable
{
    /// <summary>Azurite's published development account: it accepts this name and key only.</summary>
    private const string AccountName = "devstoreaccount1";

    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly NodeTool _tool;

    /// <summary>The blob endpoint of the development account, e.g. http://127.0.0.1:41234/devstoreaccount1.</summary>
    public Uri BlobEndpoint { get; }

    /// <summary>What Documents__ConnectionString is set to for this server.</summary>
    public string ConnectionString => $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};BlobEndpoint={BlobEndpoint};";

    private LocalBlobServer(NodeTool tool, Uri blobEndpoint)
    {
        _tool = tool;
        BlobEndpoint = blobEndpoint;
    }

    public static async Task<LocalBlobServer> StartAsync(CancellationToken cancellationToken = default)
    {
        // Port 0 and the ready line, as for the local Cosmos server: no two servers get one port.
        // --loose and --skipApiVersionCheck: the SDK may send headers and an API version newer than
        // this Azurite knows; --disableTelemetry: nothing leaves the machine.
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var (tool, endpoint) = await NodeTool.StartAsync("azurite",
            ["--blobHost", "127.0.0.1", "--blobPort", "0", "--inMemoryPersistence", "--loose", "--skipApiVersionCheck", "--disableTelemetry"],
            line => { if (ReadyLine().Match(line) is { Success: true } match) listening.TrySetResult(new Uri(match.Groups["url"].Value + "/" + AccountName)); },
            stop => listening.Task.WaitAsync(stop), cancellationToken);
        return new LocalBlobServer(tool, endpoint);
    }

    public ValueTask DisposeAsync() => _tool.DisposeAsync();

    [GeneratedRegex(@"^Azurite Blob service successfully listens on (?<url>http://\S+?)/?$")]
    private static partial Regex ReadyLine();
}
