namespace CredentialFunctions.Domain.Tests;

public class PlainTextTests
{
    private static (string? Text, IReadOnlyDictionary<string, string[]> Errors) Check(string? value, int max = 20, bool required = true)
    {
        var errors = new ValidationErrors();
        var text = required ? PlainText.Required(errors, "name", value, max) : PlainText.Optional(errors, "name", value, max);
        try
        {
            errors.ThrowIfAny();
            return (text, new Dictionary<string, string[]>());
        }
        catch (ValidationFailedException e)
        {
            return (text, e.Errors);
        }
    }

    [Theory]
    [InlineData("Ada\nLovelace")]
    [InlineData("Ada\r\nLovelace")]
    [InlineData("Ada\tLovelace")]
    [InlineData("Ada\u0000")]
    [InlineData("Ada\u0085Lovelace")]
    [InlineData("Ada\u2028Lovelace")]
    [InlineData("Ada\u2029Lovelace")]
    [InlineData("\u202EecalevoL adA")]
    [InlineData("Ada \u2067Lovelace\u2069")]
    [InlineData("Ada\u200BLovelace")]
    [InlineData("\uFEFFAda")]
    [InlineData("Ada\u00ADLovelace")]
    public void Line_breaks_controls_invisible_formatting_and_bidi_overrides_are_refused(string value)
        => Assert.Equal(["name"], Check(value).Errors.Keys);

    [Fact]
    public void A_lone_surrogate_is_refused_rather_than_thrown_on()
        => Assert.Equal(["name"], Check("Ada" + (char)0xD800).Errors.Keys);

    [Fact]
    public void Text_is_trimmed_and_normalised_to_nfc()
        => Assert.Equal("Zo\u00eb Saldana", Check("  Zoe\u0308 Saldana ", max: 11).Text);

    [Fact]
    public void The_joiners_that_persian_and_indic_names_need_are_kept()
        => Assert.Equal(("\u0645\u06cc\u200c\u0631\u0632\u0627", 0), (Check("\u0645\u06cc\u200c\u0631\u0632\u0627").Text, Check("\u0645\u06cc\u200c\u0631\u0632\u0627").Errors.Count));

    [Fact]
    public void The_length_cap_counts_the_normalised_text()
    {
        Assert.Empty(Check(new string('e', 19) + "e\u0301").Errors);
        Assert.Equal(["name"], Check(new string('x', 21)).Errors.Keys);
    }

    [Fact]
    public void Required_text_must_not_be_blank_and_optional_blank_text_is_absent()
    {
        Assert.Equal(["name"], Check("   ").Errors.Keys);
        Assert.Equal(["name"], Check(null).Errors.Keys);
        Assert.Equal((null, 0), (Check(" ", required: false).Text, Check(" ", required: false).Errors.Count));
    }
}
