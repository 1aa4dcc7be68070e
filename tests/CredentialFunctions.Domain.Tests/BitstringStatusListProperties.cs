using System.IO.Compression;
using CredentialFunctions.Domain.StatusLists;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace CredentialFunctions.Domain.Tests;

/// <summary>The W3C Bitstring Status List's encoding and the allocation of indexes, as properties over many lists.</summary>
public class BitstringStatusListProperties
{
    private const int Length = Bitstring.MinimumLength;

    private static readonly Gen<int> Index = Gen.Choose(0, Length - 1);

    private static readonly Gen<int[]> Indexes = Gen.ArrayOf(Index);

    private static Bitstring WithSet(IEnumerable<int> indexes) => indexes.Aggregate(Bitstring.Zeros(Length), (b, i) => b.With(i, true));

    [Property(MaxTest = 200)]
    public Property Encoding_then_decoding_gives_back_every_bit()
        => Prop.ForAll(Indexes.ToArbitrary(), set =>
        {
            var bits = WithSet(set);
            var decoded = Bitstring.Decode(bits.Encode());
            Assert.Equal(Length, decoded.Length);
            Assert.All(set, i => Assert.True(decoded[i]));
            Assert.Equal(set.Distinct().Count(), decoded.CountSet());
        });

    [Fact]
    public void The_encoded_list_is_multibase_base64url_of_a_gzip_of_the_bits_with_index_0_the_left_most_bit()
    {
        var encoded = WithSet([0, 9, Length - 1]).Encode();
        Assert.StartsWith("u", encoded);
        Assert.DoesNotContain('=', encoded);
        Assert.DoesNotContain('+', encoded);
        Assert.DoesNotContain('/', encoded);
        var base64 = encoded[1..].Replace('-', '+').Replace('_', '/');
        using var gzip = new GZipStream(new MemoryStream(Convert.FromBase64String(base64.PadRight(base64.Length + (4 - base64.Length % 4) % 4, '='))), CompressionMode.Decompress);
        using var raw = new MemoryStream();
        gzip.CopyTo(raw);
        var bytes = raw.ToArray();
        Assert.Equal(Length / 8, bytes.Length);
        Assert.Equal((0x80, 0x40, 0x01), (bytes[0], bytes[1], bytes[^1]));
        Assert.All(bytes[2..^1], b => Assert.Equal(0, b));
    }

    [Fact]
    public void An_empty_list_of_131072_entries_encodes_to_a_few_dozen_characters()
        => Assert.InRange(Bitstring.Zeros(Length).Encode().Length, 20, 100);

    [Theory]
    [InlineData("H4sIAAAAAAAA")]
    [InlineData("u!!!")]
    [InlineData("uAAAA")]
    public void What_is_not_an_encoded_list_is_refused(string text) => Assert.Throws<FormatException>(() => Bitstring.Decode(text));

    [Fact]
    public void A_list_shorter_than_the_minimum_is_refused_both_ways()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Bitstring.Zeros(Length - 8));
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true)) gzip.Write(new byte[Length / 8 - 1]);
        Assert.Throws<FormatException>(() => Bitstring.Decode("u" + System.Buffers.Text.Base64Url.EncodeToString(compressed.ToArray())));
    }

    /// <summary>A list with some credentials, some of them already revoked or suspended, and one more credential's index.</summary>
    private static readonly Gen<(StatusList List, int Index)> AListAndAnIndexInIt =
        from taken in Gen.Choose(0, 60)
        from seed in Gen.Choose(0, int.MaxValue)
        select Populated(taken, new Random(seed));

    private static (StatusList List, int Index) Populated(int taken, Random random)
    {
        var list = StatusList.Empty(StatusPurpose.Revocation, 1);
        for (var i = 0; i < taken; i++)
        {
            (list, var other) = list.Allocate(random.Next)!.Value;
            if (random.Next(2) == 0) list = list.WithStatus(other, true);
        }
        return list.Allocate(random.Next)!.Value;
    }

    [Property(MaxTest = 100)]
    public Property Revoking_or_suspending_sets_exactly_its_bit_and_lifting_clears_it()
        => Prop.ForAll(AListAndAnIndexInIt.ToArbitrary(), allocated =>
        {
            var (before, index) = allocated;
            var set = before.WithStatus(index, true);
            Assert.True(set.Bits[index]);
            Assert.Equal(before.Bits.With(index, true).Encode(), set.Bits.Encode());
            Assert.Equal(before.Bits.CountSet() + 1, set.Bits.CountSet());
            Assert.Equal(before.Allocated.Encode(), set.Allocated.Encode());

            var cleared = set.WithStatus(index, false);
            Assert.Equal(before.Bits.Encode(), cleared.Bits.Encode());
        });

    [Property(MaxTest = 100)]
    public Property An_index_is_taken_only_once_and_chosen_among_the_free_ones()
        => Prop.ForAll(Gen.Choose(0, int.MaxValue).ToArbitrary(), seed =>
        {
            var random = new Random(seed);
            var list = StatusList.Empty(StatusPurpose.Suspension, 1);
            var taken = new HashSet<int>();
            for (var i = 0; i < 200; i++)
            {
                (list, var index) = list.Allocate(random.Next)!.Value;
                Assert.True(taken.Add(index), $"Index {index} was handed out twice.");
            }
            Assert.Equal(Length - 200, list.Free);
            Assert.Equal(0, list.Bits.CountSet());
        });

    [Fact]
    public void The_first_free_index_is_picked_by_its_rank_among_the_free_ones_so_the_pick_is_uniform_over_them()
    {
        var list = StatusList.Empty(StatusPurpose.Revocation, 1);
        (list, var first) = list.Allocate(_ => 0)!.Value;
        (list, var second) = list.Allocate(_ => 0)!.Value;
        (_, var last) = list.Allocate(free => free - 1)!.Value;
        Assert.Equal((0, 1, Length - 1), (first, second, last));
    }

    [Property(MaxTest = 50)]
    public Property Many_indexes_taken_at_once_are_those_as_many_single_takes_would_give_from_the_same_picks()
        => Prop.ForAll(Gen.Choose(0, int.MaxValue).ToArbitrary(), Gen.Choose(0, 300).ToArbitrary(), (seed, count) =>
        {
            var start = StatusList.Empty(StatusPurpose.Revocation, 1);
            (start, _) = start.AllocateMany(37, new Random(seed ^ 0x5A5A).Next);
            var (one, random) = (start, new Random(seed));
            var singly = new List<int>();
            for (var i = 0; i < count; i++)
            {
                (one, var index) = one.Allocate(random.Next)!.Value;
                singly.Add(index);
            }

            var (many, together) = start.AllocateMany(count, new Random(seed).Next);

            Assert.Equal(singly, together);
            Assert.Equal(one.Allocated.Encode(), many.Allocated.Encode());
            Assert.Equal(Length - 37 - count, many.Free);
        });

    [Property(MaxTest = 100)]
    public Property Each_bit_set_at_once_is_the_picked_rank_among_the_bits_still_clear()
        => Prop.ForAll(Gen.Choose(0, int.MaxValue).ToArbitrary(), Gen.Choose(0, 300).ToArbitrary(), Gen.Choose(0, 1500).ToArbitrary(), (seed, extraBytes, count) =>
        {
            // Lists of any whole-byte length, sparse bytes beside full runs, so the takes cross block edges and skip full blocks.
            var random = new Random(seed);
            var bytes = new byte[Length / 8 + extraBytes];
            for (var i = 0; i < bytes.Length; i++) bytes[i] = random.Next(4) == 0 ? (byte)random.Next(256) : (byte)0;
            var run = random.Next(bytes.Length);
            bytes.AsSpan(run, Math.Min(bytes.Length - run, random.Next(2000))).Fill(0xFF);
            var bits = Decoded(bytes);
            var stillClear = Enumerable.Range(0, bits.Length).Where(i => !bits[i]).ToList();
            var picks = new Random(seed ^ 0x3C3C);
            var expected = new List<int>();
            for (var k = 0; k < count; k++)
            {
                var rank = picks.Next(stillClear.Count);
                expected.Add(stillClear[rank]);
                stillClear.RemoveAt(rank);
            }

            var (after, set) = bits.SetClear(count, new Random(seed ^ 0x3C3C).Next);

            Assert.Equal(expected, set);
            Assert.Equal(bits.CountSet() + count, after.CountSet());
            Assert.All(set, i => Assert.True(after[i]));
        });

    private static Bitstring Decoded(byte[] bytes)
    {
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true)) gzip.Write(bytes);
        return Bitstring.Decode("u" + System.Buffers.Text.Base64Url.EncodeToString(compressed.ToArray()));
    }

    [Fact]
    public void Many_indexes_from_a_list_with_fewer_free_take_what_is_free_and_leave_the_list_as_it_was()
    {
        using var compressed = new MemoryStream();
        var bytes = Enumerable.Repeat((byte)0xFF, Length / 8).ToArray();
        bytes[^1] = 0b1111_1100;
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true)) gzip.Write(bytes);
        var nearlyFull = StatusList.Empty(StatusPurpose.Revocation, 1) with { Allocated = Bitstring.Decode("u" + System.Buffers.Text.Base64Url.EncodeToString(compressed.ToArray())) };

        var (after, taken) = nearlyFull.AllocateMany(5, _ => 0);

        Assert.Equal([Length - 2, Length - 1], taken);
        Assert.True(after.IsFull);
        Assert.Equal(2, nearlyFull.Free);
    }

    [Fact]
    public void A_full_list_allocates_nothing()
    {
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true)) gzip.Write(Enumerable.Repeat((byte)0xFF, Length / 8).ToArray());
        var everyIndex = Bitstring.Decode("u" + System.Buffers.Text.Base64Url.EncodeToString(compressed.ToArray()));
        var full = StatusList.Empty(StatusPurpose.Revocation, 1) with { Allocated = everyIndex };
        Assert.True(full.IsFull);
        Assert.Null(full.Allocate(_ => 0));
    }

    [Fact]
    public void Only_an_allocated_index_takes_a_status()
        => Assert.Throws<InvalidOperationException>(() => StatusList.Empty(StatusPurpose.Revocation, 1).WithStatus(5, true));
}
