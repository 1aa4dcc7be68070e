using System.Text.Json.Nodes;
using CredentialFunctions.Application.Access;
using CredentialFunctions.Application.Ports;
using CredentialFunctions.Domain;

namespace CredentialFunctions.Application.Hr;

/// <summary>One page of Users, as a SCIM list answers it (RFC 7644 §3.4.2).</summary>
public sealed record DirectoryPage(int Total, int StartIndex, IReadOnlyList<Versioned<DirectoryUser>> Users);

/// <summary>
/// HR's joiners, movers and leavers over SCIM: the Users of the learner directory, and what each
/// write means for the learner it is linked to (<see cref="LearnerLinking"/>, <see cref="EmploymentSync"/>).
/// A write's order makes a retry safe: the supervisor change first (it needs the manager the
/// directory still names), then the directory, then the credentials, judged from the state. A write
/// that changes nothing in the directory (the same PATCH again) writes nothing there, and finds
/// nothing left to do to the credentials.
/// </summary>
public sealed class HrProvisioning(IDirectoryStore directory, LearnerLinking linking, EmploymentSync sync, IIdSource ids, TimeProvider clock)
{
    public const int DefaultCount = 100;
    public const int MaxCount = 200;
    private const int MaxAttempts = 5;

    public async Task<Versioned<DirectoryUser>> CreateAsync(JsonObject body, Caller caller, CancellationToken cancellationToken)
    {
        var resource = ScimUserResource.Normalise(body);
        var facts = ScimUserResource.Facts(resource);
        await RequireUniqueAsync(facts.UserName, null, cancellationToken);
        var learnerId = await linking.LinkAsync(facts, null, cancellationToken);
        var supervisorId = await SupervisorForAsync(facts.ManagerId, cancellationToken);
        if (learnerId is not null) await sync.ChangeSupervisorAsync(learnerId, null, supervisorId, caller, cancellationToken);
        var now = clock.GetUtcNow();
        var user = new DirectoryUser(ids.NewId("usr-"), facts.UserName, DirectoryUser.KeyOf(facts.UserName), facts.ExternalId, resource, learnerId, supervisorId, now, now);
        var etag = await directory.TryCreateAsync(user, cancellationToken)
            ?? throw new ConcurrencyConflictException($"A user with the new id {user.Id} already exists; send the request again.");
        if (learnerId is not null) await sync.ApplyToCredentialsAsync(learnerId, user.Employment, caller, cancellationToken);
        return new Versioned<DirectoryUser>(user, etag);
    }

    public async Task<Versioned<DirectoryUser>> GetAsync(string id, CancellationToken cancellationToken)
        => (IsUserId(id) ? await directory.GetAsync(id, cancellationToken) : null) ?? throw NotFound(id);

    public async Task<DirectoryPage> ListAsync(string? filter, string? startIndex, string? count, CancellationToken cancellationToken)
    {
        var parsed = string.IsNullOrWhiteSpace(filter) ? null : ScimFilter.Parse(filter);
        if (parsed is { Attribute: ScimFilterAttribute.UserName } byName) parsed = byName with { Value = DirectoryUser.KeyOf(byName.Value) };
        // RFC 7644 §3.4.2.4: a start below 1 is 1, a negative count is 0; we also cap the count.
        var start = Math.Max(1, Integer(startIndex, "startIndex") ?? 1);
        var take = Math.Clamp(Integer(count, "count") ?? DefaultCount, 0, MaxCount);
        var (total, users) = await directory.ListAsync(parsed, start - 1, take, cancellationToken);
        return new DirectoryPage(total, start, users);
    }

    /// <summary>PUT: the whole resource replaced by the body.</summary>
    public Task<Versioned<DirectoryUser>> ReplaceAsync(string id, JsonObject body, string? ifMatch, Caller caller, CancellationToken cancellationToken)
        => UpdateAsync(id, _ => ScimUserResource.Normalise(body), ifMatch, caller, cancellationToken);

    public Task<Versioned<DirectoryUser>> PatchAsync(string id, JsonObject body, string? ifMatch, Caller caller, CancellationToken cancellationToken)
        => UpdateAsync(id, current => ScimPatch.Apply(current, body), ifMatch, caller, cancellationToken);

    /// <summary>A deleted person has left: their credentials stop being tracked, the supervisor from their manager is unassigned, their User is gone.</summary>
    public async Task DeleteAsync(string id, Caller caller, CancellationToken cancellationToken)
    {
        var user = (await GetAsync(id, cancellationToken)).Value;
        if (user.LearnerId is { } learnerId)
        {
            await sync.ChangeSupervisorAsync(learnerId, user.SupervisorId, null, caller, cancellationToken);
            await sync.ApplyToCredentialsAsync(learnerId, user.Employment with { Active = false }, caller, cancellationToken);
        }
        if (!await directory.DeleteAsync(id, cancellationToken)) throw NotFound(id);
    }

    private async Task<Versioned<DirectoryUser>> UpdateAsync(string id, Func<JsonObject, JsonObject> change, string? ifMatch, Caller caller, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var current = await GetAsync(id, cancellationToken);
            if (ifMatch is not null && !ScimVersion.Matches(ifMatch, current.ETag))
                throw new ScimException(412, null, $"User {id} has changed since version {ifMatch}; read it again.");
            var user = current.Value;
            var resource = change(user.Resource);
            var facts = ScimUserResource.Facts(resource);
            if (DirectoryUser.KeyOf(facts.UserName) != user.UserNameKey) await RequireUniqueAsync(facts.UserName, id, cancellationToken);
            var learnerId = await linking.LinkAsync(facts, user.LearnerId, cancellationToken);
            var supervisorId = await SupervisorForAsync(facts.ManagerId, cancellationToken);
            if (learnerId is not null) await sync.ChangeSupervisorAsync(learnerId, user.SupervisorId, supervisorId, caller, cancellationToken);
            var next = user with
            {
                UserName = facts.UserName, UserNameKey = DirectoryUser.KeyOf(facts.UserName), ExternalId = facts.ExternalId,
                Resource = resource, LearnerId = learnerId, SupervisorId = supervisorId,
            };
            var written = current;
            if (!JsonNode.DeepEquals(resource, user.Resource) || next.LearnerId != user.LearnerId || next.SupervisorId != user.SupervisorId)
            {
                next = next with { LastModified = clock.GetUtcNow() };
                try
                {
                    written = new Versioned<DirectoryUser>(next, await directory.ReplaceAsync(next, current.ETag, cancellationToken));
                }
                catch (ConcurrencyConflictException) when (ifMatch is null && attempt < MaxAttempts)
                {
                    continue;
                }
            }
            if (learnerId is not null) await sync.ApplyToCredentialsAsync(learnerId, written.Value.Employment, caller, cancellationToken);
            return written;
        }
    }

    /// <summary>
    /// userName is unique, case-insensitively (RFC 7643 "server" uniqueness). A check before the
    /// write: Entra ID provisions one person at a time, so two creates of one name do not race.
    /// </summary>
    private async Task RequireUniqueAsync(string userName, string? exceptId, CancellationToken cancellationToken)
    {
        var (_, holders) = await directory.ListAsync(new ScimFilter(ScimFilterAttribute.UserName, DirectoryUser.KeyOf(userName)), 0, 2, cancellationToken);
        if (holders.Any(h => h.Value.Id != exceptId))
            throw new ScimException(409, ScimErrorType.Uniqueness, $"userName {userName} is already taken by another User.");
    }

    /// <summary>The manager's Entra object id, which names them as a supervisor; null while the manager is not provisioned or has none.</summary>
    private async Task<string?> SupervisorForAsync(string? managerId, CancellationToken cancellationToken)
        => managerId is not null && IsUserId(managerId) ? (await directory.GetAsync(managerId, cancellationToken))?.Value.Facts.ObjectId : null;

    /// <summary>Whether an id could be one we gave (a prefix and letters and digits): any other text is no User, and never reaches the store as a key.</summary>
    private static bool IsUserId(string id) => id.Length is > 0 and <= 64 && id.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');

    private static int? Integer(string? text, string name)
        => string.IsNullOrWhiteSpace(text) ? null
            : int.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var value) ? value
            : throw ScimException.BadRequest(ScimErrorType.InvalidValue, $"{name} must be an integer.");

    private static ScimException NotFound(string id) => new(404, null, $"User {id} not found.");
}

/// <summary>A User's version as SCIM shows it (meta.version, the ETag header): the store's ETag, weak and quoted.</summary>
public static class ScimVersion
{
    public static string Of(string storeETag) => $"W/\"{storeETag.Trim('"')}\"";

    public static bool Matches(string ifMatch, string storeETag)
        => ifMatch.Trim() == "*" || ifMatch.Split(',').Any(v => Bare(v) == storeETag.Trim('"'));

    private static string Bare(string version)
    {
        var v = version.Trim();
        return (v.StartsWith("W/", StringComparison.Ordinal) ? v[2..] : v).Trim('"');
    }
}
