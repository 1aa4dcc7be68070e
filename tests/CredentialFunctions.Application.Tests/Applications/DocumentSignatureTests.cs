using System.Text;
using CredentialFunctions.Application.Applications;

namespace CredentialFunctions.Application.Tests.Applications;

public class DocumentSignatureTests
{
    private static readonly byte[] PdfSignature = "%PDF-"u8.ToArray();
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
    private static readonly byte[] JpegSignature = [0xFF, 0xD8, 0xFF];

    public static TheoryData<byte[], DocumentType> Signatures => new()
    {
        { PdfSignature, DocumentType.Pdf },
        { PngSignature, DocumentType.Png },
        { JpegSignature, DocumentType.Jpeg },
    };

    [Theory]
    [MemberData(nameof(Signatures))]
    public void A_signature_alone_decides_its_type(byte[] signature, DocumentType type)
    {
        Assert.Equal(type, DocumentSignature.Decide(signature));
    }

    [Theory]
    [MemberData(nameof(Signatures))]
    public void What_follows_the_signature_does_not_change_the_type(byte[] signature, DocumentType type)
    {
        byte[] head = [.. signature, .. "MZ<html>PK"u8.ToArray()];

        Assert.Equal(type, DocumentSignature.Decide(head.AsSpan(0, Math.Max(signature.Length, DocumentSignature.Length))));
    }

    public static TheoryData<byte[]> SignatureBytes => [PdfSignature, PngSignature, JpegSignature];

    [Theory]
    [MemberData(nameof(SignatureBytes))]
    public void Every_shortened_signature_is_refused(byte[] signature)
    {
        for (var length = 0; length < signature.Length; length++)
            Assert.Null(DocumentSignature.Decide(signature.AsSpan(0, length)));
    }

    [Theory]
    [MemberData(nameof(SignatureBytes))]
    public void A_signature_with_any_one_byte_changed_is_refused(byte[] signature)
    {
        for (var position = 0; position < signature.Length; position++)
        {
            for (var value = 0; value <= byte.MaxValue; value++)
            {
                if (value == signature[position]) continue;
                var changed = signature.ToArray();
                changed[position] = (byte)value;
                var decided = DocumentSignature.Decide(changed);
                Assert.True(decided is null, $"{Convert.ToHexString(changed)} was decided to be {decided}");
            }
        }
    }

    [Theory]
    [InlineData("4D5A90000300000004000000", "a Windows executable (MZ)")]
    [InlineData("7F454C46020101000000", "a Linux executable (ELF)")]
    [InlineData("504B030414000600", "a ZIP archive (also .docx, .xlsx)")]
    [InlineData("474946383961", "a GIF image")]
    [InlineData("424D3E000000", "a BMP image")]
    [InlineData("49492A00", "a TIFF image")]
    [InlineData("EFBBBF255044462D", "a byte order mark before %PDF-")]
    [InlineData("2025504446", "a space before %PDF")]
    [InlineData("25706466", "%pdf in lower case")]
    [InlineData("2550444631", "%PDF without its dash")]
    [InlineData("FFD8", "the first two bytes of a JPEG only")]
    [InlineData("", "an empty document")]
    public void Anything_else_is_refused(string hex, string what)
    {
        Assert.True(DocumentSignature.Decide(Convert.FromHexString(hex)) is null, what);
    }

    [Theory]
    [InlineData("<!DOCTYPE html><html><body>%PDF-")]
    [InlineData("<html><script>alert(1)</script>")]
    [InlineData("<?xml version=\"1.0\"?><svg/>")]
    [InlineData("Dear reviewer, please find my diploma attached.")]
    public void Text_is_refused_even_when_it_mentions_a_signature(string text)
    {
        Assert.Null(DocumentSignature.Decide(Encoding.UTF8.GetBytes(text).AsSpan(0, DocumentSignature.Length)));
    }

    [Fact]
    public void The_head_length_is_enough_for_the_longest_signature()
    {
        var longest = new[] { PdfSignature, PngSignature, JpegSignature }.Max(s => s.Length);

        Assert.Equal(DocumentSignature.Length, longest);
    }

    [Theory]
    [InlineData(DocumentType.Pdf, "application/pdf")]
    [InlineData(DocumentType.Png, "image/png")]
    [InlineData(DocumentType.Jpeg, "image/jpeg")]
    public void Each_type_is_served_with_its_media_type(DocumentType type, string mediaType)
    {
        Assert.Equal(mediaType, DocumentSignature.MediaType(type));
    }
}
