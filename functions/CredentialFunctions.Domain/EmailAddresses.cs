using System.Net.Mail;

namespace CredentialFunctions.Domain;

/// <summary>The one rule for an email address we will write to: one address, exactly as given (no display name, no list).</summary>
public static class EmailAddresses
{
    public static bool IsValid(string email) => MailAddress.TryCreate(email, out var address) && address.Address == email;
}
