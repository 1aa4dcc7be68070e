using CredentialFunctions.Domain.Credentials;
using FsCheck.Xunit;

namespace CredentialFunctions.Domain.Tests;

public class CertificateIdTests
{
    private static CertificateId FromSeed(int seed)
    {
        var bytes = new byte[CertificateId.RandomBytes];
        new Random(seed).NextBytes(bytes);
        return CertificateId.FromRandomBytes(bytes);
    }

    [Fact]
    public void An_id_is_four_groups_of_four_crockford_symbols()
    {
        var id = FromSeed(1).Value;
        Assert.Matches("^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$", id);
    }

    [Fact]
    public void A_generated_id_parses_back_to_itself_forgiving_case_dashes_and_lookalikes()
    {
        var id = FromSeed(2);
        var typed = id.Value.Replace("-", " ").ToLowerInvariant().Replace('0', 'o').Replace('1', 'l');
        Assert.Equal(CertificateId.ParseFailure.None, CertificateId.TryParse(typed, out var parsed));
        Assert.Equal(id, parsed);
    }

    [Theory]
    [InlineData("")]
    [InlineData("ABCD")]
    [InlineData("ABCD-EFGH-JKMN-PQRS-T")]
    [InlineData("ABCD-EFGH-JKMN-PQR!")]
    [InlineData("ABCD-EFGH-JKMN-PQRU")]
    public void Text_that_is_not_shaped_like_an_id_is_malformed(string text)
        => Assert.Equal(CertificateId.ParseFailure.Malformed, CertificateId.TryParse(text, out _));

    /// <summary>Exhaustive over every position and every other symbol, for 300 ids.</summary>
    [Fact]
    public void Every_single_symbol_typo_is_caught_by_the_check_symbol()
    {
        for (var seed = 0; seed < 300; seed++)
        {
            var symbols = FromSeed(seed).Value.Replace("-", "").ToCharArray();
            for (var position = 0; position < symbols.Length; position++)
            {
                var original = symbols[position];
                foreach (var wrong in CertificateId.Alphabet.Where(c => c != original))
                {
                    symbols[position] = wrong;
                    Assert.Equal(CertificateId.ParseFailure.CheckSymbolMismatch, CertificateId.TryParse(new string(symbols), out _));
                }
                symbols[position] = original;
            }
        }
    }

    [Fact]
    public void Every_adjacent_swap_of_different_symbols_is_caught_including_the_check_symbol()
    {
        for (var seed = 0; seed < 2000; seed++)
        {
            var symbols = FromSeed(seed).Value.Replace("-", "").ToCharArray();
            for (var i = 0; i + 1 < symbols.Length; i++)
            {
                if (symbols[i] == symbols[i + 1]) continue;
                (symbols[i], symbols[i + 1]) = (symbols[i + 1], symbols[i]);
                Assert.Equal(CertificateId.ParseFailure.CheckSymbolMismatch, CertificateId.TryParse(new string(symbols), out _));
                (symbols[i], symbols[i + 1]) = (symbols[i + 1], symbols[i]);
            }
        }
    }

    /// <summary>The algebra behind the guarantee, checked over the whole 32 × 32 table.</summary>
    [Fact]
    public void The_operation_is_a_totally_anti_symmetric_quasigroup()
    {
        for (var c = 0; c < 32; c++)
        {
            Assert.Equal(32, Enumerable.Range(0, 32).Select(y => CertificateId.Operate(c, y)).Distinct().Count());
            Assert.Equal(32, Enumerable.Range(0, 32).Select(x => CertificateId.Operate(x, c)).Distinct().Count());
            for (var x = 0; x < 32; x++)
                for (var y = 0; y < 32; y++)
                    if (x != y) Assert.NotEqual(CertificateId.Operate(CertificateId.Operate(c, x), y), CertificateId.Operate(CertificateId.Operate(c, y), x));
        }
    }

    [Property(MaxTest = 500)]
    public bool Any_random_bytes_make_a_valid_id(byte[] random)
    {
        var bytes = new byte[CertificateId.RandomBytes];
        random.AsSpan(0, Math.Min(random.Length, bytes.Length)).CopyTo(bytes);
        var id = CertificateId.FromRandomBytes(bytes);
        return CertificateId.TryParse(id.Value, out var parsed) == CertificateId.ParseFailure.None && parsed == id;
    }

    /// <summary>
    /// Each of the first 75 random bits decides exactly one symbol (so ids carry 75 bits, not fewer),
    /// and the 5 bits left over from the 10 bytes drawn change nothing.
    /// </summary>
    [Fact]
    public void Each_of_the_seventy_five_leading_random_bits_moves_exactly_its_own_symbol()
    {
        for (var seed = 0; seed < 50; seed++)
        {
            var bytes = new byte[CertificateId.RandomBytes];
            new Random(seed).NextBytes(bytes);
            var original = RandomSymbolsOf(CertificateId.FromRandomBytes(bytes));
            for (var bit = 0; bit < CertificateId.RandomBytes * 8; bit++)
            {
                bytes[bit / 8] ^= (byte)(0x80 >> (bit % 8));
                var flipped = RandomSymbolsOf(CertificateId.FromRandomBytes(bytes));
                bytes[bit / 8] ^= (byte)(0x80 >> (bit % 8));
                var changed = Enumerable.Range(0, CertificateId.RandomSymbols).Where(i => original[i] != flipped[i]).ToArray();
                Assert.Equal(bit < 5 * CertificateId.RandomSymbols ? [bit / 5] : [], changed);
            }
        }

        static string RandomSymbolsOf(CertificateId id) => id.Value.Replace("-", "")[..CertificateId.RandomSymbols];
    }

    private static readonly byte[] KeyA = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
    private static readonly byte[] KeyB = Enumerable.Range(2, 32).Select(i => (byte)i).ToArray();

    [Fact]
    public void A_first_credential_id_is_the_same_for_the_same_program_learner_and_key_and_a_valid_id()
    {
        var id = CertificateId.FirstOf(KeyA, "forklift", "lms:L-1");
        Assert.Equal(id, CertificateId.FirstOf(KeyA, "forklift", "lms:L-1"));
        Assert.Equal(CertificateId.ParseFailure.None, CertificateId.TryParse(id.Value, out var parsed));
        Assert.Equal(id, parsed);
    }

    [Fact]
    public void A_first_credential_id_changes_with_the_key_the_program_and_the_learner()
    {
        var ids = new[]
        {
            CertificateId.FirstOf(KeyA, "forklift", "lms:L-1"), CertificateId.FirstOf(KeyB, "forklift", "lms:L-1"),
            CertificateId.FirstOf(KeyA, "forklift-2", "lms:L-1"), CertificateId.FirstOf(KeyA, "forklift", "lms:L-2"),
            // The length prefix keeps the boundary between the two ids: these concatenate alike.
            CertificateId.FirstOf(KeyA, "fork", "liftlms:L-1"),
        };
        Assert.Equal(ids.Length, ids.Distinct().Count());
    }

    [Property(MaxTest = 300)]
    public bool First_credential_ids_of_distinct_learners_differ(int a, int b)
        => a == b || CertificateId.FirstOf(KeyA, "p", $"lms:{a}") != CertificateId.FirstOf(KeyA, "p", $"lms:{b}");

    [Fact]
    public void A_program_key_shorter_than_256_bits_is_refused()
        => Assert.Throws<ArgumentException>(() => CertificateId.FirstOf(new byte[16], "p", "lms:1"));
}
