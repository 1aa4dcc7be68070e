using System.Globalization;
using System.Text.Json.Nodes;
using CredentialFunctions.Application.Badges;
using CredentialFunctions.Application.Ports;
using CredentialFunctions.Application.Signing;
using CredentialFunctions.Domain;
using CredentialFunctions.Domain.Credentials;
using CredentialFunctions.Domain.StatusLists;

namespace CredentialFunctions.Application.StatusLists;

/// <summary>Where each status list is published: a stable URL per purpose and number, which every entry naming it points to.</summary>
public sealed class StatusListLinks(Uri publicBase)
{
    public static string Name(StatusPurpose purpose) => purpose == StatusPurpose.Revocation ? "revocation" : "suspension";

    public Uri ListUrl(StatusPurpose purpose, int number) => new(publicBase, $"api/status/{Name(purpose)}/{number.ToString(CultureInfo.InvariantCulture)}");

    public CredentialStatusEntry Entry(StatusListEntry entry)
    {
        var list = ListUrl(entry.Purpose, entry.List).ToString();
        return new($"{list}#{entry.Index.ToString(CultureInfo.InvariantCulture)}", Name(entry.Purpose), entry.Index, list);
    }
}

/// <summary>
/// A badge's <c>credentialStatus</c>: its revocation entry. Open Badges 3.0 allows one
/// <c>credentialStatus</c> object (its official schema refuses an array), and revocation is what every
/// verifier must learn; a suspension is published in its own list and shown by verification. A
/// credential issued before the status lists is given its entries now (its first need), and one
/// whose lists lag its record is published first, so a badge never names an index that says
/// something else.
/// </summary>
public sealed class StatusListEntriesOfBadges(StatusListPublisher publisher, StatusListLinks links) : ICredentialStatusEntries
{
    public async Task<IReadOnlyList<CredentialStatusEntry>> ForAsync(Credential credential, CancellationToken cancellationToken)
    {
        var lists = credential is { StatusLists: { } assigned, StatusListsBehind: false }
            ? assigned
            : (await publisher.PublishAsync(credential.CertificateId, cancellationToken)).StatusLists!;
        return [links.Entry(lists.Revocation)];
    }
}

/// <summary>
/// The status list credential a verifier fetches from an entry's <c>statusListCredential</c>: a
/// <c>BitstringStatusListCredential</c> whose subject carries the list's <c>encodedList</c>, signed
/// as a VC-JWT by the issuer's key like every badge.
/// </summary>
public sealed class StatusListCredentials(IStatusListStore lists, StatusListLinks links, IssuerProfile issuer, VcJwtSigner signer, TimeProvider clock)
{
    /// <summary>
    /// How long a verifier or a cache may reuse a list: a revocation or suspension reaches every
    /// verifier within this, and a busy verifier fetches the list once per this, not once per credential.
    /// </summary>
    public static readonly TimeSpan CacheLifetime = TimeSpan.FromMinutes(5);

    /// <exception cref="NotFoundException">No such purpose, or no list of that number yet.</exception>
    public async Task<string> SignedAsync(string purpose, string number, CancellationToken cancellationToken)
    {
        var statusPurpose = Enum.GetValues<StatusPurpose>().Where(p => StatusListLinks.Name(p) == purpose).Cast<StatusPurpose?>().FirstOrDefault()
            ?? throw new NotFoundException("Status list purpose", purpose);
        if (!int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var list) || list < 1)
            throw ValidationFailedException.For("list", "A status list's number is a whole number from 1.");
        var stored = await lists.GetAsync(StatusList.IdOf(statusPurpose, list), cancellationToken)
            ?? throw new NotFoundException("Status list", $"{purpose}/{number}");
        return await signer.SignAsync(VcJwtSigner.VerifiableCredentialType, Claims(stored.Value), cancellationToken);
    }

    /// <summary>The credential as the recommendation shapes it, with the JWT claims OB 3.0 §8.2 asks of a VC-JWT.</summary>
    private JsonObject Claims(StatusList list)
    {
        var id = links.ListUrl(list.Purpose, list.Number).ToString();
        var now = clock.GetUtcNow();
        var issuedAt = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, now.Second, TimeSpan.Zero);
        return new JsonObject
        {
            ["@context"] = new JsonArray("https://www.w3.org/ns/credentials/v2"),
            ["id"] = id,
            ["type"] = new JsonArray("VerifiableCredential", "BitstringStatusListCredential"),
            ["issuer"] = issuer.Id,
            ["validFrom"] = issuedAt.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            ["credentialSubject"] = new JsonObject
            {
                ["id"] = $"{id}#list",
                ["type"] = "BitstringStatusList",
                ["statusPurpose"] = StatusListLinks.Name(list.Purpose),
                ["encodedList"] = list.Bits.Encode(),
            },
            ["iss"] = issuer.Id,
            ["jti"] = id,
            ["sub"] = $"{id}#list",
            ["nbf"] = issuedAt.ToUnixTimeSeconds(),
            ["iat"] = issuedAt.ToUnixTimeSeconds(),
        };
    }
}
