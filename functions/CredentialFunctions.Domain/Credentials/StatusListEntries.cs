using CredentialFunctions.Domain.StatusLists;

namespace CredentialFunctions.Domain.Credentials;

/// <summary>
/// A credential's place in one status list (a <c>BitstringStatusListEntry</c>): the list, by
/// purpose and number, its index there, and the bit last written at that index.
/// </summary>
/// <param name="Published">The status bit as the list holds it, once the write to the list succeeded.</param>
public sealed record StatusListEntry(StatusPurpose Purpose, int List, int Index, bool Published)
{
    public StatusListEntry AsPublished(bool bit) => this with { Published = bit };
}

/// <summary>
/// Where a credential's revocation and suspension are published. Assigned without an audit entry,
/// like the outbox: the record's state is what the trail vouches for, the lists are a projection of it.
/// </summary>
public sealed record StatusListEntries(StatusListEntry Revocation, StatusListEntry Suspension)
{
    public StatusListEntry For(StatusPurpose purpose) => purpose == StatusPurpose.Revocation ? Revocation : Suspension;

    public StatusListEntries With(StatusListEntry entry) => entry.Purpose == StatusPurpose.Revocation ? this with { Revocation = entry } : this with { Suspension = entry };

    public IEnumerable<StatusListEntry> All => [Revocation, Suspension];
}

/// <summary>A suspension: who put the credential on hold, when and why. Lifting it removes it; the trail keeps both.</summary>
public sealed record Suspension(DateTimeOffset At, string By, string Reason);
