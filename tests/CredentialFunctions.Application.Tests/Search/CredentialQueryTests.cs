using CredentialFunctions.Application.Search;
using CredentialFunctions.Domain;
using CredentialFunctions.Domain.Credentials;

namespace CredentialFunctions.Application.Tests.Search;

public sealed class CredentialQueryTests
{
    private static CredentialQuery Parse(params (string Name, string Value)[] parameters)
        => CredentialQuery.Parse(parameters.ToDictionary(p => p.Name, p => (string?)p.Value));

    private static IReadOnlyDictionary<string, string[]> Refused(params (string, string)[] parameters)
        => Assert.Throws<ValidationFailedException>(() => Parse(parameters)).Errors;

    [Fact]
    public void Without_parameters_it_is_every_credential_newest_first_fifty_a_page()
    {
        var query = Parse();
        Assert.Equal(new CredentialQuery(new CredentialFilter(), SearchSort.Default, 50), query);
    }

    [Fact]
    public void Each_parameter_sets_its_filter_texts_folded_for_matching()
    {
        var query = Parse(("name", " ÁDA "), ("email", "Ada@Example.ORG"), ("status", "inGrace,active,inGrace"), ("expiresFrom", "2026-03-01"),
            ("expiresTo", "2026-04-01T12:00:00+02:00"), ("sort", "-legalName"), ("pageSize", "200"), ("team", "Blue"));

        Assert.Equal("áda", query.Filter.NamePrefix);
        Assert.Equal("ada@example.org", query.Filter.Email);
        Assert.Equal([CredentialStatus.Active, CredentialStatus.InGrace], query.Filter.Statuses);
        Assert.Equal(new InstantRange(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 4, 1, 10, 0, 0, TimeSpan.Zero)), query.Filter.Expiry);
        Assert.Equal((new SearchSort(SearchSortKey.LegalName, true), 200, "Blue"), (query.Sort, query.PageSize, query.Filter.Team));
    }

    [Theory]
    [InlineData("status", "expired")]
    [InlineData("status", ",")]
    [InlineData("pageSize", "201")]
    [InlineData("pageSize", "0")]
    [InlineData("pageSize", "ten")]
    [InlineData("sort", "score")]
    [InlineData("expiresFrom", "next tuesday")]
    [InlineData("completedTo", "2026-03-01T09:00:00")]
    [InlineData("stauts", "active")]
    [InlineData("name", "Ada\u202Eecila")]
    public void A_bad_parameter_is_refused_by_name(string name, string value)
        => Assert.True(Refused((name, value)).ContainsKey(name));

    [Theory]
    [InlineData("expiresFrom", "expiresTo")]
    [InlineData("completedFrom", "completedTo")]
    public void An_inverted_or_empty_range_is_refused(string from, string to)
    {
        Assert.True(Refused((from, "2026-05-01"), (to, "2026-04-01")).ContainsKey(to));
        Assert.True(Refused((from, "2026-05-01"), (to, "2026-05-01")).ContainsKey(to));
    }

    [Fact]
    public void Every_status_has_a_name_to_filter_by()
        => Assert.Equal(Enum.GetValues<CredentialStatus>(), CredentialQuery.StatusNames.Values.Order());
}
