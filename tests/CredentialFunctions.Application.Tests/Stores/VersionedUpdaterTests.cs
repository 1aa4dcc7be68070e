using CredentialFunctions.Application;
using CredentialFunctions.Application.Ports;
using CredentialFunctions.Domain;

namespace CredentialFunctions.Application.Tests.Stores;

/// <summary>A known version saves the read when it is fresh, and never costs a change when it is not.</summary>
public sealed class VersionedUpdaterTests
{
    private sealed record Tally(string Id, int Count);

    /// <summary>One record, its ETag the number of writes, counting reads.</summary>
    private sealed class OneRecord(Tally initial) : IVersionedStore<Tally>
    {
        private Versioned<Tally> _current = new(initial, "0");

        public int Reads { get; private set; }

        public Versioned<Tally> Current => _current;

        public Task<Versioned<Tally>?> GetAsync(string id, CancellationToken cancellationToken)
        {
            Reads++;
            return Task.FromResult<Versioned<Tally>?>(_current);
        }

        public Task<string> ReplaceAsync(Tally value, string etag, CancellationToken cancellationToken)
        {
            if (etag != _current.ETag) throw new ConcurrencyConflictException($"{value.Id} is at {_current.ETag}, not {etag}.");
            _current = new Versioned<Tally>(value, (int.Parse(etag) + 1).ToString());
            return Task.FromResult(_current.ETag);
        }

        /// <summary>Another writer's change, beside the updater's.</summary>
        public void WriteBeside(Tally value) => _current = new Versioned<Tally>(value, (int.Parse(_current.ETag) + 1).ToString());
    }

    private static Tally? Increment(Tally t) => t with { Count = t.Count + 1 };

    [Fact]
    public async Task A_fresh_known_version_is_changed_without_a_read_and_the_new_ETag_returned()
    {
        var store = new OneRecord(new Tally("t", 0));
        var known = store.Current;

        var written = await new VersionedUpdater<Tally>(store, "Tally").WriteAsync("t", known, Increment, CancellationToken.None);

        Assert.Equal(0, store.Reads);
        Assert.Equal(store.Current, written);
        Assert.Equal(1, written.Value.Count);
    }

    [Fact]
    public async Task A_stale_known_version_is_read_afresh_and_the_other_writers_change_kept()
    {
        var store = new OneRecord(new Tally("t", 0));
        var known = store.Current;
        store.WriteBeside(new Tally("t", 10));

        var written = await new VersionedUpdater<Tally>(store, "Tally").WriteAsync("t", known, Increment, CancellationToken.None);

        Assert.Equal(1, store.Reads);
        Assert.Equal(11, written.Value.Count);
        Assert.Equal(store.Current, written);
    }

    [Fact]
    public async Task Nothing_to_do_on_a_known_version_is_asked_of_a_fresh_read_which_may_say_otherwise()
    {
        var store = new OneRecord(new Tally("t", 0));
        var known = store.Current;
        store.WriteBeside(new Tally("t", 1));
        // Bring the count to 2: the known version (0) would need two, the fresh one (1) one; the known is asked nothing it can settle alone.
        Tally? OnlyFromOne(Tally t) => t.Count == 1 ? t with { Count = 2 } : null;

        var written = await new VersionedUpdater<Tally>(store, "Tally").WriteAsync("t", known, OnlyFromOne, CancellationToken.None);

        Assert.Equal(1, store.Reads);
        Assert.Equal(2, written.Value.Count);
        Assert.Equal(2, store.Current.Value.Count);
    }

    [Fact]
    public async Task Without_a_known_version_the_record_is_read_first()
    {
        var store = new OneRecord(new Tally("t", 5));

        var written = await new VersionedUpdater<Tally>(store, "Tally").WriteAsync("t", null, Increment, CancellationToken.None);

        Assert.Equal(1, store.Reads);
        Assert.Equal(6, written.Value.Count);
    }
}
