namespace CredentialFunctions.Domain.Credentials;

/// <summary>
/// A certificate id such as <c>7QXM-2K9D-RH4T-WZ5C</c>: 15 random Crockford base32 symbols (75 bits,
/// unguessable) and one check symbol. Crockford's alphabet has no I, L, O or U, so an id read aloud
/// or typed from paper survives; parsing forgives case, dashes, spaces and O/I/L lookalikes.
///
/// The check symbol comes from the Damm algorithm over the quasigroup x∘y = 2x + y in GF(32).
/// Because that operation is a quasigroup, any single wrong symbol changes the result; because it
/// is totally anti-symmetric ((c∘x)∘y = (c∘y)∘x only when x = y), any swap of two adjacent symbols,
/// the check symbol included, does too. So a mistyped id is caught before the store is asked.
/// </summary>
public readonly record struct CertificateId
{
    public const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    public const int RandomSymbols = 15;
    public const int RandomBytes = 10; // 80 bits drawn; the top 75 become symbols
    private const int GroupSize = 4;

    public string Value { get; }

    private CertificateId(string value) => Value = value;

    public override string ToString() => Value;

    /// <summary>Builds an id from random bytes the caller draws, so tests can be deterministic.</summary>
    public static CertificateId FromRandomBytes(ReadOnlySpan<byte> random)
    {
        if (random.Length < RandomBytes) throw new ArgumentException($"Need {RandomBytes} random bytes.", nameof(random));
        Span<int> symbols = stackalloc int[RandomSymbols + 1];
        var bits = 0UL;
        var bitCount = 0;
        var next = 0;
        for (var i = 0; i < RandomSymbols; i++)
        {
            if (bitCount < 5)
            {
                bits = (bits << 8) | random[next++];
                bitCount += 8;
            }
            symbols[i] = (int)((bits >> (bitCount - 5)) & 31);
            bitCount -= 5;
        }
        symbols[RandomSymbols] = CheckSymbolFor(symbols[..RandomSymbols]);
        return new CertificateId(Format(symbols));
    }

    /// <summary>
    /// The id of a learner's first credential of a program: the HMAC-SHA256 of the two under the
    /// program's secret key stands in for the random bytes. So every path that issues a first
    /// credential names the same one, and its create is what lets only one of them issue it; without
    /// the key, knowing a learner's LMS id does not tell their certificate id.
    /// </summary>
    public static CertificateId FirstOf(ReadOnlySpan<byte> programKey, string programId, string learnerId)
    {
        if (programKey.Length < 32) throw new ArgumentException("A program key is at least 256 bits.", nameof(programKey));
        // Length-prefixed, so no other pair of ids makes the same message.
        var message = System.Text.Encoding.UTF8.GetBytes($"{programId.Length}:{programId}{learnerId}");
        return FromRandomBytes(System.Security.Cryptography.HMACSHA256.HashData(programKey, message));
    }

    /// <summary>Why an id text was refused: it is not the shape of an id, or its check symbol disagrees (a typo).</summary>
    public enum ParseFailure { None, Malformed, CheckSymbolMismatch }

    public static ParseFailure TryParse(string? text, out CertificateId id)
    {
        id = default;
        if (text is null || text.Length > 40) return ParseFailure.Malformed;
        Span<int> symbols = stackalloc int[RandomSymbols + 1];
        var count = 0;
        foreach (var ch in text)
        {
            if (ch is '-' or ' ') continue;
            var value = SymbolValue(ch);
            if (value < 0 || count == symbols.Length) return ParseFailure.Malformed;
            symbols[count++] = value;
        }
        if (count != symbols.Length) return ParseFailure.Malformed;
        if (Reduce(symbols) != 0) return ParseFailure.CheckSymbolMismatch;
        id = new CertificateId(Format(symbols));
        return ParseFailure.None;
    }

    private static int SymbolValue(char ch)
    {
        var c = char.ToUpperInvariant(ch);
        c = c switch { 'O' => '0', 'I' or 'L' => '1', _ => c };
        return Alphabet.IndexOf(c);
    }

    private static string Format(ReadOnlySpan<int> symbols)
    {
        var chars = new char[symbols.Length + (symbols.Length - 1) / GroupSize];
        var j = 0;
        for (var i = 0; i < symbols.Length; i++)
        {
            if (i > 0 && i % GroupSize == 0) chars[j++] = '-';
            chars[j++] = Alphabet[symbols[i]];
        }
        return new string(chars);
    }

    /// <summary>The check symbol d with Reduce(data ++ d) = 0: since y ↦ c∘y is a bijection there is exactly one.</summary>
    internal static int CheckSymbolFor(ReadOnlySpan<int> data)
    {
        var interim = Reduce(data);
        for (var d = 0; d < 32; d++)
            if (Operate(interim, d) == 0) return d;
        throw new InvalidOperationException("Unreachable: the operation is a quasigroup.");
    }

    internal static int Reduce(ReadOnlySpan<int> symbols)
    {
        var interim = 0;
        foreach (var s in symbols) interim = Operate(interim, s);
        return interim;
    }

    /// <summary>x∘y = 2·x + y in GF(2⁵) with the primitive polynomial x⁵ + x² + 1.</summary>
    internal static int Operate(int x, int y)
    {
        var doubled = x << 1;
        if ((doubled & 0b100000) != 0) doubled ^= 0b100101;
        return doubled ^ y;
    }
}
