using System.Net;
using System.Net.Sockets;

namespace CredentialFunctions.Integration.Tests.Email;

/// <summary>
/// An SMTP server that refuses every recipient with one reply, e.g. "550 5.1.1 No such mailbox":
/// maildev accepts every address, so a refusal can only be played back like this.
/// </summary>
internal sealed class RefusingSmtpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _serving;

    public RefusingSmtpServer(string recipientReply)
    {
        _listener.Start();
        _serving = ServeAsync(recipientReply);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    private async Task ServeAsync(string recipientReply)
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                using var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                await using var stream = client.GetStream();
                using var reader = new StreamReader(stream);
                await using var writer = new StreamWriter(stream) { NewLine = "\r\n", AutoFlush = true };
                await writer.WriteLineAsync("220 refusing.example.org ESMTP");
                while (await reader.ReadLineAsync(_stop.Token) is { } line)
                {
                    var verb = line.Split(' ', ':')[0].ToUpperInvariant();
                    await writer.WriteLineAsync(verb switch
                    {
                        "EHLO" or "HELO" => "250 refusing.example.org",
                        "MAIL" or "RSET" or "NOOP" => "250 2.0.0 OK",
                        "RCPT" => recipientReply,
                        "QUIT" => "221 2.0.0 Bye",
                        _ => "502 5.5.1 Not implemented",
                    });
                    if (verb == "QUIT") break;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException)
        {
            // Stopped, or the client hung up mid-conversation.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _serving;
        _stop.Dispose();
    }
}
