using System.Globalization;
using System.Text.Json.Nodes;
using CredentialFunctions.Application.Ports;
using CredentialFunctions.Domain.Applications;
using Microsoft.Azure.Cosmos;

namespace CredentialFunctions.Adapters.Cosmos;

/// <summary>One document per application (id = pk = application id); the lists are cross-partition queries served by the layout's composite indexes.</summary>
public sealed class CosmosApplicationStore(CredentialDatabase database) : IApplicationStore
{
    private readonly Container _container = database.Container(CosmosLayout.Applications);

    public async Task<Versioned<CertificationApplication>?> GetAsync(string id, CancellationToken cancellationToken)
        => await CosmosDocuments.ReadAsync<CertificationApplication>(_container, id, id, cancellationToken) is { } read
            ? new Versioned<CertificationApplication>(read.Value, read.ETag)
            : null;

    public Task<bool> TryCreateAsync(CertificationApplication application, CancellationToken cancellationToken)
        => CosmosDocuments.TryCreateAsync(_container, Document(application), application.ApplicationId, cancellationToken);

    public Task<string> ReplaceAsync(CertificationApplication value, string etag, CancellationToken cancellationToken)
        => CosmosDocuments.ReplaceAsync(_container, Document(value), value.ApplicationId, value.ApplicationId, etag, cancellationToken);

    public Task<Page<CertificationApplication>> ByCandidateAsync(string candidateSubject, string? continuationToken, int pageSize, CancellationToken cancellationToken)
        => QueryAsync(new QueryDefinition("SELECT * FROM c WHERE c.candidate.subject = @subject ORDER BY c.submittedAt DESC").WithParameter("@subject", candidateSubject),
            continuationToken, pageSize, cancellationToken);

    public Task<Page<CertificationApplication>> ForReviewAsync(string? programId, ApplicationStatus? status, string? continuationToken, int pageSize, CancellationToken cancellationToken)
    {
        var filters = new List<string>();
        if (programId is not null) filters.Add("c.programId = @programId");
        if (status is not null) filters.Add("c.status = @status");
        var where = filters.Count == 0 ? "" : " WHERE " + string.Join(" AND ", filters);
        var query = new QueryDefinition($"SELECT * FROM c{where} ORDER BY c.submittedAt DESC")
            .WithParameter("@programId", programId)
            .WithParameter("@status", status is { } s ? JsonNamingPolicy(s) : null);
        return QueryAsync(query, continuationToken, pageSize, cancellationToken);
    }

    /// <summary>
    /// A range filter on the first and last payment instants stamped beside the record: two
    /// top-level paths the "/*" range index serves, rather than a JOIN into the payments array.
    /// </summary>
    public Task<Page<CertificationApplication>> WithPaymentsBetweenAsync(DateTimeOffset from, DateTimeOffset to, string? continuationToken, int pageSize, CancellationToken cancellationToken)
        => QueryAsync(new QueryDefinition($"SELECT * FROM c WHERE c.{FirstPaymentAt} < @to AND c.{LastPaymentAt} >= @from")
                .WithParameter("@from", CosmosRenewalWindowRecords.Sortable(from)).WithParameter("@to", CosmosRenewalWindowRecords.Sortable(to)),
            continuationToken, pageSize, cancellationToken);

    /// <summary>A refund names only the provider's payment: its id is kept beside the record, one array lookup.</summary>
    public async Task<CertificationApplication?> ByProviderPaymentIdAsync(string providerPaymentId, CancellationToken cancellationToken)
    {
        var query = new QueryDefinition($"SELECT * FROM c WHERE ARRAY_CONTAINS(c.{ProviderPaymentIds}, @id)").WithParameter("@id", providerPaymentId);
        using var iterator = _container.GetItemQueryStreamIterator(query, null, new QueryRequestOptions { MaxItemCount = 2 });
        if (!iterator.HasMoreResults) return null;
        return (await CosmosDocuments.ReadWholePageAsync<CertificationApplication>(iterator, _container, cancellationToken)).FirstOrDefault();
    }

    private const string ProviderPaymentIds = "providerPaymentIds";
    private const string FirstPaymentAt = "firstPaymentAt";
    private const string LastPaymentAt = "lastPaymentAt";

    private async Task<Page<CertificationApplication>> QueryAsync(QueryDefinition query, string? continuationToken, int pageSize, CancellationToken cancellationToken)
    {
        using var iterator = _container.GetItemQueryStreamIterator(query, continuationToken, new QueryRequestOptions { MaxItemCount = pageSize });
        if (!iterator.HasMoreResults) return new Page<CertificationApplication>([], null);
        return await CosmosDocuments.ReadPageAsync<CertificationApplication>(iterator, cancellationToken);
    }

    /// <summary>The status as the document stores it (the JSON contract's camelCase enum names).</summary>
    private static string JsonNamingPolicy(ApplicationStatus status) => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(status.ToString());

    /// <summary>
    /// The record with instants in UTC at a fixed width, so strings compare as the instants do
    /// whatever offset a client sent: the submission (for newest first) and the first and last
    /// payment (for the reconciliation's range); and the stamp of its oldest unsent event, for the event repair.
    /// </summary>
    private static CosmosDocument Document(CertificationApplication application)
    {
        var paid = application.Payments.Select(p => p.OccurredAt).ToList();
        return CosmosDocuments.ToDocument(application, application.ApplicationId,
            ("submittedAt", CosmosRenewalWindowRecords.Sortable(application.SubmittedAt)),
            (FirstPaymentAt, paid.Count == 0 ? null : CosmosRenewalWindowRecords.Sortable(paid.Min())),
            (LastPaymentAt, paid.Count == 0 ? null : CosmosRenewalWindowRecords.Sortable(paid.Max())),
            (ProviderPaymentIds, new JsonArray([.. application.Payments.Select(p => p.ProviderPaymentId).OfType<string>().Distinct().Select(id => JsonValue.Create(id))])), CosmosUnsentEvents.UnsentEventsStamp(application.Outbox));
    }
}
