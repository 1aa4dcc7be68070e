using System.Security.Cryptography;
using System.Text;
using CredentialFunctions.Application.Ports;
using CredentialFunctions.Application.Programs;
using CredentialFunctions.Domain;

namespace CredentialFunctions.Adapters.Cosmos;

/// <summary>
/// Activity claims as {id, activityId, programId, programVersion, claimedAt}. The id is a hash: an
/// IRI may be longer than Cosmos's 255 characters and hold characters ('/', '#', '?') an id cannot.
/// </summary>
public sealed class CosmosActivityClaimStore(CredentialDatabase database) : IActivityClaimStore
{
    private readonly Microsoft.Azure.Cosmos.Container _container = database.Container(CosmosLayout.ActivityClaims);

    public static string DocumentId(string activityId) => "activity-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(activityId)));

    public async Task<Versioned<ActivityClaim>?> GetAsync(string activityId, CancellationToken cancellationToken)
    {
        var id = DocumentId(activityId);
        return await CosmosDocuments.ReadAsync<ActivityClaim>(_container, id, id, cancellationToken) is { } read
            ? new Versioned<ActivityClaim>(read.Value, read.ETag)
            : null;
    }

    public Task<bool> TryCreateAsync(ActivityClaim claim, CancellationToken cancellationToken)
    {
        var id = DocumentId(claim.ActivityId);
        return CosmosDocuments.TryCreateAsync(_container, CosmosDocuments.ToDocument(claim, id), id, cancellationToken);
    }

    public async Task<bool> TryReplaceAsync(ActivityClaim claim, string etag, CancellationToken cancellationToken)
    {
        var id = DocumentId(claim.ActivityId);
        try
        {
            await CosmosDocuments.ReplaceAsync(_container, CosmosDocuments.ToDocument(claim, id), id, id, etag, cancellationToken);
            return true;
        }
        catch (ConcurrencyConflictException)
        {
            return false;
        }
    }
}
