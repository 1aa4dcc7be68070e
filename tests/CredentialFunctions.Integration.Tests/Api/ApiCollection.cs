using CredentialFunctions.Testing.Api;

namespace CredentialFunctions.Integration.Tests.Api;

/// <summary>The API test classes share one host: starting one (server, database, composition) is the slow part.</summary>
[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<ApiFixture>
{
    public const string Name = "api";
}
