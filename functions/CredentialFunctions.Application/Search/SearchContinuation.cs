using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;
using CredentialFunctions.Domain;

namespace CredentialFunctions.Application.Search;

/// <summary>
/// The continuation token a search answers: the store's own token in an envelope bound to the
/// query's filter and sort and to the instant the first page was judged at. A token from another
/// search, or edited, is a 400 naming the parameter; and every page of one search judges statuses
/// at the same instant, so a credential crossing into grace between two pages is neither lost nor
/// read twice.
/// </summary>
internal static class SearchContinuation
{
    private const string Field = "continuationToken";

    private sealed record Envelope(string Query, DateTimeOffset At, string Store);

    public static string Seal(CredentialQuery query, DateTimeOffset at, string storeToken)
        => Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(new Envelope(Digest(query), at, storeToken), CredentialJson.Options));

    public static (DateTimeOffset At, string StoreToken) Open(string token, CredentialQuery query) => Open(token, _ => query);

    /// <summary>For a query that depends on its instant (the compliance drill-down's "due within 30 days" is an expiry bound from it): built at the token's instant, then checked.</summary>
    public static (DateTimeOffset At, string StoreToken) Open(string token, Func<DateTimeOffset, CredentialQuery> queryAt)
    {
        Envelope? envelope;
        try
        {
            envelope = JsonSerializer.Deserialize<Envelope>(Base64Url.DecodeFromChars(token), CredentialJson.Options);
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            throw ValidationFailedException.For(Field, "Not a continuation token this API gave; send the one from the previous page as it came.");
        }
        if (envelope is null || envelope.Query != Digest(queryAt(envelope.At)))
            throw ValidationFailedException.For(Field, "The token continues a search with other filters or another sort; send the same filters and sort with it, or start again without it.");
        return (envelope.At, envelope.Store);
    }

    /// <summary>The filter and the sort, not the page size: a client may change how many it reads per page.</summary>
    private static string Digest(CredentialQuery query)
        => Convert.ToHexString(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(new { query.Filter, query.Sort }, CredentialJson.Options)))[..32];
}
