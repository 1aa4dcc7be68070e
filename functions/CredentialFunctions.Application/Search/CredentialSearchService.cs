using System.Runtime.CompilerServices;
using CredentialFunctions.Application.Access;
using CredentialFunctions.Application.Ports;
using CredentialFunctions.Domain.Credentials;
using CredentialFunctions.Domain.Programs;

namespace CredentialFunctions.Application.Search;

/// <summary>A credential as a search lists it: the record's fields without its audit trail, ledger and outbox, and its status at the search's instant.</summary>
public sealed record CredentialSummary(
    string CertificateId, LearnerIdentity Holder, ProgramReference Program, CredentialStatus Status, Completion Completion,
    decimal PassThreshold, DateTimeOffset IssuedAt, DateTimeOffset? ExpiresAt, int Cycle, IReadOnlyList<CeuCredit> CreditsEarned,
    IReadOnlyList<RenewalRecord> RenewalHistory, string? ContentVersion, string? RegulatoryModule, Placement Placement)
{
    public static CredentialSummary Of(Credential c, DateTimeOffset at) => new(
        c.CertificateId, c.Holder, c.Program, c.StatusAt(at), c.Completion, c.PassThreshold, c.IssuedAt, c.ExpiresAt, c.Cycle,
        c.CreditsEarned, c.RenewalHistory, c.ContentVersion, c.RegulatoryModule, c.Placement);
}

/// <param name="At">The instant every status of the search is judged at.</param>
/// <param name="Unreadable">Stored documents that matched but do not read as a credential, named rather than dropped.</param>
public sealed record SearchPage(DateTimeOffset At, IReadOnlyList<CredentialSummary> Items, string? ContinuationToken, IReadOnlyList<UnreadableDocument> Unreadable);

/// <summary>Every credential and every renewal of one learner, newest first.</summary>
public sealed record LearnerHistory(string LearnerId, DateTimeOffset At, IReadOnlyList<CredentialSummary> Credentials, IReadOnlyList<UnreadableDocument> Unreadable);

/// <summary>An export, checked and logged before its first row is written, so a bad filter is a problem answer and never a broken file.</summary>
public sealed record CredentialExport(DateTimeOffset At, IAsyncEnumerable<Credential> Rows);

/// <summary>Search, the learner's history and the export: one query model, the learner restriction, and each read logged.</summary>
public sealed class CredentialSearchService(ICredentialSearch store, IAccessLog accessLog, TimeProvider clock)
{
    /// <summary>An export reads the store in pages this size; the rows stream out as each page arrives.</summary>
    public const int ExportPageSize = 500;

    public async Task<SearchPage> SearchAsync(IReadOnlyDictionary<string, string?> parameters, Caller caller, CancellationToken cancellationToken)
    {
        var query = Restrict(CredentialQuery.Parse(parameters), caller);
        var (at, storeToken) = parameters.GetValueOrDefault("continuationToken") is { Length: > 0 } token
            ? SearchContinuation.Open(token, query)
            : (clock.GetUtcNow(), null);
        var page = await store.SearchAsync(query, at, storeToken, cancellationToken);
        await accessLog.RecordAsync(caller, "credentials", QueryText(parameters), cancellationToken);
        return new SearchPage(at, [.. page.Items.Select(c => CredentialSummary.Of(c, at))],
            page.ContinuationToken is { } next ? SearchContinuation.Seal(query, at, next) : null, page.Unreadable);
    }

    public async Task<LearnerHistory> HistoryAsync(string learnerId, Caller caller, CancellationToken cancellationToken)
    {
        var query = Restrict(new CredentialQuery(new CredentialFilter(LearnerId: learnerId), SearchSort.Default, CredentialQuery.MaxPageSize), caller);
        var at = clock.GetUtcNow();
        var (credentials, unreadable) = (new List<CredentialSummary>(), new List<UnreadableDocument>());
        string? token = null;
        do
        {
            var page = await store.SearchAsync(query, at, token, cancellationToken);
            credentials.AddRange(page.Items.Select(c => CredentialSummary.Of(c, at)));
            unreadable.AddRange(page.Unreadable);
            token = page.ContinuationToken;
        } while (token is not null);
        await accessLog.RecordAsync(caller, $"learners/{learnerId}/credentials", null, cancellationToken);
        return new LearnerHistory(learnerId, at, credentials, unreadable);
    }

    public async Task<CredentialExport> ExportAsync(IReadOnlyDictionary<string, string?> parameters, Caller caller, CancellationToken cancellationToken)
    {
        if (parameters.ContainsKey("continuationToken") || parameters.ContainsKey("pageSize"))
            throw Domain.ValidationFailedException.For(parameters.ContainsKey("pageSize") ? "pageSize" : "continuationToken", "An export is never paged: it streams every matching credential.");
        var query = Restrict(CredentialQuery.Parse(parameters), caller) with { PageSize = ExportPageSize };
        var at = clock.GetUtcNow();
        await accessLog.RecordAsync(caller, "credentials/export", QueryText(parameters), cancellationToken);
        return new CredentialExport(at, Rows(query, at, cancellationToken));
    }

    private async IAsyncEnumerable<Credential> Rows(CredentialQuery query, DateTimeOffset at, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? token = null;
        do
        {
            var page = await store.SearchAsync(query, at, token, cancellationToken);
            foreach (var credential in page.Items) yield return credential;
            token = page.ContinuationToken;
        } while (token is not null);
    }

    /// <summary>Staff search everything; a learner only their own records, whatever the parameters say.</summary>
    private static CredentialQuery Restrict(CredentialQuery query, Caller caller)
    {
        if (caller.IsStaff) return query;
        if (!caller.Roles.Contains(Role.Learner) || caller.LearnerId is not { } own)
            throw new AccessDeniedException("Only staff and learners may search credentials.");
        if (query.Filter.LearnerId is { } asked && asked != own)
            throw new AccessDeniedException("Learners may search only their own credentials.");
        return query with { Filter = query.Filter with { LearnerId = own } };
    }

    /// <summary>The parameters as the access log keeps them: in a fixed order, the continuation token left out (it says nothing a reader needs).</summary>
    internal static string QueryText(IReadOnlyDictionary<string, string?> parameters)
        => string.Join('&', parameters.Where(p => p.Key != "continuationToken").OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value ?? "")}"));
}
