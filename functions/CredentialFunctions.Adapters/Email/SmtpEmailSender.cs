using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using CredentialFunctions.Application.Notifications;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace CredentialFunctions.Adapters.Email;

/// <summary>Sends through an SMTP server with MailKit: one connection per message, text and HTML as multipart/alternative.</summary>
public sealed class SmtpEmailSender(EmailOptions options) : IEmailSender
{
    public async Task<string> SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        var mime = Compose(message);
        var smtp = options.Smtp;
        using var client = new SmtpClient();
        try
        {
            await client.ConnectAsync(smtp.Host, smtp.Port, smtp.Security, cancellationToken);
            if (!string.IsNullOrEmpty(smtp.UserName)) await client.AuthenticateAsync(smtp.UserName, smtp.Password ?? "", cancellationToken);
            await client.SendAsync(mime, cancellationToken);
            await client.DisconnectAsync(quit: true, cancellationToken);
        }
        catch (SmtpCommandException e)
        {
            // SMTP's own split: 4xx replies are temporary (try later), 5xx are final (e.g. no such mailbox).
            throw new EmailDeliveryException($"{smtp.Host} refused the message ({(int)e.StatusCode} {e.ErrorCode}): {e.Message}", isTransient: (int)e.StatusCode < 500, e);
        }
        catch (AuthenticationException e)
        {
            throw new EmailDeliveryException($"{smtp.Host} refused the credentials in Email__Smtp__UserName/Password: {e.Message}", isTransient: false, e);
        }
        catch (Exception e) when (e is SmtpProtocolException or SslHandshakeException or IOException or SocketException or TimeoutException)
        {
            throw new EmailDeliveryException($"Could not reach {smtp.Host}:{smtp.Port}: {e.Message}", isTransient: true, e);
        }

        return mime.MessageId!; // set by Compose
    }

    /// <summary>
    /// SMTP cannot be asked what a server already took, so a message whose sender died after the
    /// server accepted it and before that was recorded is sent again: at least once, never lost.
    /// Its Message-ID is the same on both, so mail clients that de-duplicate by it show one.
    /// </summary>
    public Task<string?> FindSentAsync(string idempotencyKey, CancellationToken cancellationToken) => Task.FromResult<string?>(null);

    private MimeMessage Compose(EmailMessage message)
    {
        try
        {
            var from = MailboxAddress.Parse(options.SenderAddress);
            var mime = new MimeMessage
            {
                Subject = message.Subject,
                MessageId = MessageIdFor(message.IdempotencyKey, from.Domain),
                Body = new BodyBuilder { TextBody = message.TextBody, HtmlBody = message.HtmlBody }.ToMessageBody(),
            };
            mime.From.Add(from);
            mime.To.Add(new MailboxAddress(message.ToName, message.ToAddress));
            return mime;
        }
        catch (ParseException e)
        {
            throw new EmailDeliveryException($"Not a usable address (sender '{options.SenderAddress}', recipient '{message.ToAddress}'): {e.Message}", isTransient: false, e);
        }
    }

    /// <summary>
    /// The same on every attempt to send one notification, so a resend is recognisable as such (and
    /// mail clients that de-duplicate by Message-ID show it once). Hashed: the key holds characters a
    /// Message-ID may not.
    /// </summary>
    public static string MessageIdFor(string idempotencyKey, string domain) =>
        $"{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(idempotencyKey)))[..32]}@{domain}";
}
