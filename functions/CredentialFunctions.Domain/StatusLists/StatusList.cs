namespace CredentialFunctions.Domain.StatusLists;

/// <summary>What a status list's set bit means (the recommendation's <c>statusPurpose</c>): revoked for good, or suspended until lifted.</summary>
public enum StatusPurpose { Revocation, Suspension }

/// <summary>
/// One published status list: a purpose, its number among that purpose's lists, the status bits
/// verifiers read, and which indexes belong to a credential. A clear status bit tells nothing about
/// whether its index is taken, so the taken indexes are a bitstring of their own, never published.
/// </summary>
public sealed record StatusList(StatusPurpose Purpose, int Number, Bitstring Bits, Bitstring Allocated)
{
    public static StatusList Empty(StatusPurpose purpose, int number, int length = Bitstring.MinimumLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(number, 1);
        return new(purpose, number, Bitstring.Zeros(length), Bitstring.Zeros(length));
    }

    /// <summary>The list's name among all lists, e.g. "revocation-1".</summary>
    public string Id => IdOf(Purpose, Number);

    public static string IdOf(StatusPurpose purpose, int number) => $"{purpose.ToString().ToLowerInvariant()}-{number}";

    public int Free => Allocated.Length - Allocated.CountSet();

    public bool IsFull => Free == 0;

    /// <summary>
    /// Takes an index chosen at random among the free ones, so an index says nothing about when its
    /// credential was issued. Null when the list is full.
    /// </summary>
    /// <param name="pick">Given the number of free indexes n, a uniformly random number from 0 to n − 1.</param>
    public (StatusList List, int Index)? Allocate(Func<int, int> pick)
        => AllocateMany(1, pick) is (var list, [var index]) ? (list, index) : null;

    /// <summary>Up to <paramref name="count"/> indexes, as that many rounds of <see cref="Allocate"/> would take them, on one copy of the list: a batch's.</summary>
    public (StatusList List, IReadOnlyList<int> Indexes) AllocateMany(int count, Func<int, int> pick)
    {
        var (allocated, indexes) = Allocated.SetClear(count, pick);
        return (indexes.Count == 0 ? this : this with { Allocated = allocated }, indexes);
    }

    /// <summary>Sets or clears a credential's status bit; an index never allocated is a bug, not a request.</summary>
    public StatusList WithStatus(int index, bool set)
    {
        if (!Allocated[index]) throw new InvalidOperationException($"Index {index} of {Purpose} list {Number} belongs to no credential.");
        return Bits[index] == set ? this : this with { Bits = Bits.With(index, set) };
    }
}
