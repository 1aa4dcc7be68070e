using System.Text.Json;
using Azure;

namespace CredentialFunctions.Adapters;

/// <summary>What an Azure REST API (Key Vault, Communication Services) says went wrong, for an exception's message.</summary>
internal static class AzureRestErrors
{
    /// <summary>The body's <c>error.code</c> and <c>error.message</c>, as Azure's REST APIs answer a refusal; the reason phrase when the body says nothing readable.</summary>
    public static string Describe(Response response)
    {
        try
        {
            using var body = JsonDocument.Parse(response.Content);
            var error = body.RootElement.GetProperty("error");
            return $"{error.GetProperty("code").GetString()}: {error.GetProperty("message").GetString()}";
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return response.ReasonPhrase;
        }
    }
}
