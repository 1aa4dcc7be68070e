namespace CredentialFunctions.Domain;

/// <summary>
/// The few ways a domain rule refuses a request. The HTTP edge maps each type to one status code
/// and a problem-details body, so no caller ever compares message strings.
/// </summary>
public abstract class DomainException(string message) : Exception(message);

/// <summary>Input that breaks a rule; <see cref="Errors"/> names each offending field.</summary>
public sealed class ValidationFailedException(IReadOnlyDictionary<string, string[]> errors)
    : DomainException("One or more fields are invalid.")
{
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;

    public static ValidationFailedException For(string field, string message) => new(new Dictionary<string, string[]> { [field] = [message] });
}

public sealed class NotFoundException(string what, string id) : DomainException($"{what} '{id}' was not found.")
{
    public string What { get; } = what;
    public string Id { get; } = id;
}

/// <summary>The request is valid but the record's current state does not allow it (e.g. renewing a revoked credential).</summary>
public sealed class InvalidTransitionException(string message) : DomainException(message);

/// <summary>
/// The record already holds the most it may of something (credit entries, say): valid input, but
/// accepting it would let one record grow without bound. <see cref="Limit"/> names the cap.
/// </summary>
public sealed class LimitReachedException(string limit, int maximum, string message) : DomainException(message)
{
    public string Limit { get; } = limit;
    public int Maximum { get; } = maximum;
}

/// <summary>Another writer changed the record first and the retries ran out.</summary>
public sealed class ConcurrencyConflictException(string message) : DomainException(message);

/// <summary>Collects field errors so a caller gets every problem in one answer, not the first.</summary>
public sealed class ValidationErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list)) _errors[field] = list = [];
        list.Add(message);
    }

    public bool Any => _errors.Count > 0;

    public bool Has(string field) => _errors.ContainsKey(field);

    /// <summary>The errors by field, for an answer that reports them rather than refusing the request (a row of a file, say).</summary>
    public IReadOnlyDictionary<string, string[]> ByField() => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray());

    public void ThrowIfAny()
    {
        if (Any) throw new ValidationFailedException(ByField());
    }
}
