using CredentialFunctions.Application.Integrations;
using CredentialFunctions.Application.Xapi;

namespace CredentialFunctions.Application.Tests.Xapi;

public class XapiProtocolTests
{
    [Theory]
    [InlineData("1.0", "1.0.3")]
    [InlineData("1.0.0", "1.0.3")]
    [InlineData("1.0.3", "1.0.3")]
    [InlineData("1.0.9", "1.0.3")]
    [InlineData(" 2.0.0 ", "2.0.0")]
    [InlineData("2.0", "2.0.0")]
    [InlineData(null, null)]
    [InlineData("", null)]
    [InlineData("0.95", null)]
    [InlineData("1.1.0", null)]
    [InlineData("1.0.", null)]
    [InlineData("1.0.x", null)]
    [InlineData("2.1.0", null)]
    [InlineData("3.0.0", null)]
    public void The_version_answered_is_the_latest_patch_of_the_version_asked_for(string? requested, string? answered)
        => Assert.Equal(answered, XapiVersion.Negotiate(requested));

    [Theory]
    [InlineData(0.95, null, null, null, 95.0)]
    [InlineData(0.7, null, null, null, 70.0)]
    [InlineData(-0.4, null, null, null, 0.0)]
    [InlineData(1.0, null, null, null, 100.0)]
    [InlineData(null, 7.0, 0.0, 10.0, 70.0)]
    [InlineData(null, 15.0, 10.0, 20.0, 50.0)]
    [InlineData(0.5, 90.0, 0.0, 100.0, 50.0)]
    public void A_score_is_scaled_times_100_or_raws_place_between_min_and_max(double? scaled, double? raw, double? min, double? max, double percent)
        => Assert.Equal((decimal)percent, new XapiScore((decimal?)scaled, (decimal?)raw, (decimal?)min, (decimal?)max).Percent());

    [Theory]
    [InlineData(null, 7.0, null, 10.0)]
    [InlineData(null, 7.0, 0.0, null)]
    [InlineData(null, null, 0.0, 10.0)]
    public void Without_scaled_and_a_full_raw_min_max_there_is_no_score(double? scaled, double? raw, double? min, double? max)
        => Assert.Null(new XapiScore((decimal?)scaled, (decimal?)raw, (decimal?)min, (decimal?)max).Percent());

    [Fact]
    public void Basic_credentials_match_only_the_user_name_and_secret_both()
    {
        Assert.True(LrsBasicCredentials.Match(LrsBasicCredentials.Header("lrs", "s3cret:with:colons"), "lrs", "s3cret:with:colons"));
        Assert.True(LrsBasicCredentials.Match("basic " + Convert.ToBase64String("lrs:pässword"u8.ToArray()), "lrs", "pässword"));
        Assert.False(LrsBasicCredentials.Match(LrsBasicCredentials.Header("lrs", "s3cret"), "lrs", "s3cre"));
        Assert.False(LrsBasicCredentials.Match(LrsBasicCredentials.Header("lr", "s3cret"), "lrs", "s3cret"));
        Assert.False(LrsBasicCredentials.Match(LrsBasicCredentials.Header("lrs", ""), "lrs", "s3cret"));
        Assert.False(LrsBasicCredentials.Match("Basic " + Convert.ToBase64String("lrss3cret"u8.ToArray()), "lrs", "s3cret"));
        Assert.False(LrsBasicCredentials.Match("Basic %%%", "lrs", "s3cret"));
        Assert.False(LrsBasicCredentials.Match("Bearer s3cret", "lrs", "s3cret"));
        Assert.False(LrsBasicCredentials.Match(null, "lrs", "s3cret"));
    }
}
