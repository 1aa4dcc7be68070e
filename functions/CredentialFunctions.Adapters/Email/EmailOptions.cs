using MailKit.Security;

namespace CredentialFunctions.Adapters.Email;

/// <summary>
/// App settings section "Email": who mail comes from and the one transport that sends it. SMTP is
/// used when <c>Email__Smtp__Host</c> is set (local development against maildev); otherwise Azure
/// Communication Services when <c>Email__Acs__Endpoint</c> is set (Azure, where Bicep sets it);
/// with neither, every send fails with a message saying what to set.
/// </summary>
public sealed class EmailOptions
{
    public const string Section = "Email";

    /// <summary>The From address, e.g. DoNotReply@&lt;guid&gt;.azurecomm.net; with ACS it must be on a domain linked to the resource.</summary>
    public string SenderAddress { get; set; } = "";

    public AcsEmailOptions Acs { get; set; } = new();

    public SmtpOptions Smtp { get; set; } = new();
}

/// <summary>Azure Communication Services Email, reached with the app's managed identity: there is no key to set.</summary>
public sealed class AcsEmailOptions
{
    /// <summary>The Communication Services resource, e.g. https://acs-abc.unitedstates.communication.azure.com.</summary>
    public string Endpoint { get; set; } = "";
}

/// <summary>An SMTP server: maildev locally. Not used in Azure, where mail goes through ACS.</summary>
public sealed class SmtpOptions
{
    public string Host { get; set; } = "";

    public int Port { get; set; } = 587;

    /// <summary>None for a local maildev; StartTls (the default) or SslOnConnect for a real server.</summary>
    public SecureSocketOptions Security { get; set; } = SecureSocketOptions.StartTls;

    /// <summary>Leave unset for a server that takes mail without authentication.</summary>
    public string? UserName { get; set; }

    public string? Password { get; set; }
}
