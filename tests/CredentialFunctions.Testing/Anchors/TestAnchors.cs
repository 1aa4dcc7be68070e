using CredentialFunctions.Adapters.Anchors;
using CredentialFunctions.Application.Verification;
using CredentialFunctions.Testing.Api;

namespace CredentialFunctions.Testing.Anchors;

/// <summary>The anchoring the test hosts use (their development key), for tests and benchmarks that make a store by hand.</summary>
public static class TestAnchors
{
    public static RecordAnchoring Anchoring { get; } = new(new ConfiguredAnchorKeys(AnchorKeys.Development(ApiHost.AnchorKey)));
}
