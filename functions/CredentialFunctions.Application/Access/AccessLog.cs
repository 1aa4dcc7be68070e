namespace CredentialFunctions.Application.Access;

public interface IAccessLog { Task RecordAsync(Caller caller, string resource, string? query, CancellationToken cancellationToken); }
