using Microsoft.AspNetCore.Http;

namespace CredentialFunctions.App.Http;

/// <summary>How much a request's Accept header wants a media type (0 when it does not list it); wildcards count for no type in particular.</summary>
public static class AcceptHeader
{
    public static double Quality(HttpRequest request, string mediaType)
        => request.GetTypedHeaders().Accept
            .Where(a => a.MediaType.Equals(mediaType, StringComparison.OrdinalIgnoreCase))
            .Select(a => a.Quality ?? 1)
            .DefaultIfEmpty(0)
            .Max();
}
