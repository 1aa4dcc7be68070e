namespace CredentialFunctions.LocalHost;

/// <summary>
/// Runs tools/maildev (an SMTP server that keeps every message and shows it in a web UI and a REST
/// API) as a child process and stops it on dispose. The local host starts one when no email
/// transport is configured, and the email tests start their own.
/// </summary>
public sealed class LocalMailServer : IAsyncDisposable
{
    private readonly NodeTool _tool;

    public int SmtpPort { get; }

    /// <summary>The web UI, and the REST API under it (GET email).</summary>
    public Uri WebEndpoint { get; }

    private LocalMailServer(NodeTool tool, int smtpPort, Uri webEndpoint)
    {
        _tool = tool;
        SmtpPort = smtpPort;
        WebEndpoint = webEndpoint;
    }

    /// <param name="smtpPort">Null picks a free port.</param>
    /// <param name="webPort">Null picks a free port.</param>
    public static async Task<LocalMailServer> StartAsync(int? smtpPort = null, int? webPort = null, CancellationToken cancellationToken = default)
    {
        var smtp = smtpPort ?? LocalCosmosServer.FreePort();
        var web = webPort ?? LocalCosmosServer.FreePort();
        while (web == smtp) web = LocalCosmosServer.FreePort();
        var webEndpoint = new Uri($"http://127.0.0.1:{web}/");
        var (tool, _) = await NodeTool.StartAsync("maildev", ["--smtp", $"{smtp}", "--web", $"{web}", "--ip", "127.0.0.1", "--silent"],
            null, stop => AnsweringAsync(webEndpoint, stop), cancellationToken);
        return new LocalMailServer(tool, smtp, webEndpoint);
    }

    /// <summary>maildev prints nothing when ready, so its REST API is asked until it answers.</summary>
    private static async Task<bool> AnsweringAsync(Uri webEndpoint, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = webEndpoint, Timeout = TimeSpan.FromSeconds(5) };
        while (true)
        {
            try
            {
                using var response = await http.GetAsync("email", cancellationToken);
                if (response.IsSuccessStatusCode) return true;
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(100, cancellationToken);
        }
    }

    public ValueTask DisposeAsync() => _tool.DisposeAsync();
}
