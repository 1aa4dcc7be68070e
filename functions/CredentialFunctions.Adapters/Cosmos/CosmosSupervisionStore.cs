using CredentialFunctions.Application.Ports;
using CredentialFunctions.Domain.Learners;
using Microsoft.Azure.Cosmos;

namespace CredentialFunctions.Adapters.Cosmos;

/// <summary>One document per learner (id = pk = learner id) holding their supervisors and the history of assignments.</summary>
public sealed class CosmosSupervisionStore(CredentialDatabase database) : ISupervisionStore
{
    private readonly Container _container = database.Container(CosmosLayout.Learners);

    public async Task<Versioned<LearnerSupervisors>?> GetAsync(string learnerId, CancellationToken cancellationToken)
        => await CosmosDocuments.ReadAsync<LearnerSupervisors>(_container, learnerId, learnerId, cancellationToken) is { } read
            ? new Versioned<LearnerSupervisors>(read.Value, read.ETag)
            : null;

    public Task<bool> TryCreateAsync(LearnerSupervisors supervisors, CancellationToken cancellationToken)
        => CosmosDocuments.TryCreateAsync(_container, CosmosDocuments.ToDocument(supervisors, supervisors.LearnerId), supervisors.LearnerId, cancellationToken);

    public Task ReplaceAsync(LearnerSupervisors supervisors, string etag, CancellationToken cancellationToken)
        => CosmosDocuments.ReplaceAsync(_container, CosmosDocuments.ToDocument(supervisors, supervisors.LearnerId), supervisors.LearnerId, supervisors.LearnerId, etag, cancellationToken);
}
