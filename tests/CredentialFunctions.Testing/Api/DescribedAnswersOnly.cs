namespace CredentialFunctions.Testing.Api;

/// <summary>
/// Fails the request of any answer that the API's OpenAPI document does not describe (status,
/// media type, body schema), so the document cannot drift from what the API does.
/// </summary>
public sealed class DescribedAnswersOnly(OpenApiContract contract) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        return await contract.ViolationAsync(request.Method, request.RequestUri!.AbsolutePath, response) is { } violation
            ? throw new UndescribedAnswerException(violation)
            : response;
    }
}

public sealed class UndescribedAnswerException(string violation) : Exception($"The OpenAPI document does not describe this answer: {violation}");
