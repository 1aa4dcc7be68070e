namespace CredentialFunctions.Application.Access;

// Who looked at what, and when: every read route of records, searches, exports and reports calls
// this one seam, so an auditor's own reads can be audited by the person they answer to.
public interface IAccessLog { Task RecordAsync(Caller caller, string resource, string? query, CancellationToken cancellationToken); }
