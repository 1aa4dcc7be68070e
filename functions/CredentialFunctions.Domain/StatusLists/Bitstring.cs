using System.Buffers.Text;
using System.IO.Compression;
using System.Numerics;
using System.Runtime.InteropServices;

namespace CredentialFunctions.Domain.StatusLists;

/// <summary>
/// A fixed-length string of bits as W3C Bitstring Status List numbers them: index 0 is the
/// left-most bit, the most significant bit of the first byte. Immutable: setting a bit answers a
/// new bitstring.
/// </summary>
public sealed class Bitstring
{
    /// <summary>
    /// The smallest list the W3C recommendation allows (16 KiB of bits): a list this large hides any
    /// one holder's status among at least this many others (its "herd privacy").
    /// </summary>
    public const int MinimumLength = 131_072;

    /// <summary>The multibase prefix of base64url without padding.</summary>
    public const char MultibaseBase64Url = 'u';

    private readonly byte[] _bytes;

    private Bitstring(byte[] bytes) => _bytes = bytes;

    public static Bitstring Zeros(int length)
    {
        if (length < MinimumLength || length % 8 != 0)
            throw new ArgumentOutOfRangeException(nameof(length), length, $"A status list holds at least {MinimumLength} bits, in whole bytes.");
        return new Bitstring(new byte[length / 8]);
    }

    public int Length => _bytes.Length * 8;

    public bool this[int index] => (_bytes[ByteOf(index)] & Mask(index)) != 0;

    public Bitstring With(int index, bool value)
    {
        var bytes = (byte[])_bytes.Clone();
        if (value) bytes[ByteOf(index)] |= Mask(index);
        else bytes[ByteOf(index)] &= (byte)~Mask(index);
        return new Bitstring(bytes);
    }

    public int CountSet() => SetIn(_bytes);

    private static int SetIn(ReadOnlySpan<byte> bytes)
    {
        // Eight bytes at a time, then the bytes left over.
        var count = 0;
        foreach (var word in MemoryMarshal.Cast<byte, ulong>(bytes)) count += BitOperations.PopCount(word);
        for (var i = bytes.Length / 8 * 8; i < bytes.Length; i++) count += byte.PopCount(bytes[i]);
        return count;
    }

    /// <summary>
    /// Sets up to <paramref name="count"/> clear bits, each the <paramref name="pick"/>(clear bits left)-th
    /// clear bit of the bits as the ones before it left them: what as many rounds of finding that bit
    /// and <see cref="With"/> would do, on one copy instead of one each.
    /// </summary>
    public (Bitstring Bits, IReadOnlyList<int> Set) SetClear(int count, Func<int, int> pick)
    {
        var copy = new Bitstring((byte[])_bytes.Clone());
        // The clear bits of each block of bytes, kept as bits are set, so finding the n-th clear bit
        // skips whole blocks: a batch's thousand takes each count a few blocks and one block's
        // bytes, not half the list.
        var blocks = new int[(copy._bytes.Length + BlockBytes - 1) / BlockBytes];
        for (var b = 0; b < blocks.Length; b++) blocks[b] = ClearIn(copy.Block(b));
        var clear = blocks.Sum();
        var set = new List<int>(Math.Min(count, clear));
        while (set.Count < count && clear > 0)
        {
            var ordinal = pick(clear);
            if (ordinal < 0 || ordinal >= clear) throw new ArgumentOutOfRangeException(nameof(pick), ordinal, $"The pick must be from 0 to {clear - 1}.");
            var block = 0;
            for (; ordinal >= blocks[block]; block++) ordinal -= blocks[block];
            var index = block * BlockBytes * 8 + NthClear(copy.Block(block), ordinal);
            copy._bytes[ByteOf(index)] |= Mask(index);
            blocks[block]--;
            clear--;
            set.Add(index);
        }
        return (copy, set);
    }

    private const int BlockBytes = 256;

    private Span<byte> Block(int block) => _bytes.AsSpan(block * BlockBytes, Math.Min(BlockBytes, _bytes.Length - block * BlockBytes));

    private static int ClearIn(ReadOnlySpan<byte> bytes) => bytes.Length * 8 - SetIn(bytes);

    /// <summary>The position in <paramref name="bytes"/> of their <paramref name="ordinal"/>-th clear bit (from 0), which they hold.</summary>
    private static int NthClear(ReadOnlySpan<byte> bytes, int ordinal)
    {
        for (var i = 0; ; i++)
        {
            var clear = 8 - byte.PopCount(bytes[i]);
            if (ordinal >= clear)
            {
                ordinal -= clear;
                continue;
            }
            for (var bit = 0; ; bit++)
            {
                if ((bytes[i] & (0x80 >> bit)) != 0) continue;
                if (ordinal-- == 0) return i * 8 + bit;
            }
        }
    }

    /// <summary>The <c>encodedList</c> of the recommendation: the bits GZIP-compressed, base64url without padding, multibase prefix 'u'.</summary>
    public string Encode()
    {
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true)) gzip.Write(_bytes);
        return MultibaseBase64Url + Base64Url.EncodeToString(compressed.ToArray());
    }

    /// <exception cref="FormatException">Not a multibase base64url GZIP of at least <see cref="MinimumLength"/> bits.</exception>
    public static Bitstring Decode(string encodedList)
    {
        if (encodedList is not [MultibaseBase64Url, .. var base64]) throw new FormatException($"An encoded list starts with the multibase prefix '{MultibaseBase64Url}' (base64url).");
        byte[] compressed;
        try
        {
            compressed = Base64Url.DecodeFromChars(base64);
        }
        catch (FormatException e)
        {
            throw new FormatException("The encoded list is not base64url.", e);
        }
        using var bits = new MemoryStream();
        try
        {
            using var gzip = new GZipStream(new MemoryStream(compressed), CompressionMode.Decompress);
            gzip.CopyTo(bits);
        }
        catch (InvalidDataException e)
        {
            throw new FormatException("The encoded list is not GZIP data.", e);
        }
        if (bits.Length * 8 < MinimumLength) throw new FormatException($"The list holds {bits.Length * 8} bits; a status list holds at least {MinimumLength}.");
        return new Bitstring(bits.ToArray());
    }

    private int ByteOf(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Length);
        return index / 8;
    }

    private static byte Mask(int index) => (byte)(0x80 >> (index % 8));
}
