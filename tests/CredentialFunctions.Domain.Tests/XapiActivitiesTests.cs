using CredentialFunctions.Domain.Programs;

namespace CredentialFunctions.Domain.Tests;

public class XapiActivitiesTests
{
    [Theory]
    [InlineData("http://example.adlnet.gov/xapi/example/simpleCBT")]
    [InlineData("https://w3id.org/xapi/cmi5/activitytype/course")]
    [InlineData("http://example.org/cmi5/au-lms-id/4756b42214cb0cb4825b3c9b5c15053d6a6cf7f5")]
    [InlineData("https://lms.example.org/kurs/prüfung?teil=2#a")]
    [InlineData("urn:isbn:0451450523")]
    [InlineData("tag:example.org,2026:course-42")]
    public void Absolute_IRIs_with_a_scheme_are_activity_ids(string iri)
        => Assert.True(XapiActivities.IsAbsoluteIri(iri));

    [Theory]
    [InlineData("")]
    [InlineData("course-42")]
    [InlineData("/courses/42")]
    [InlineData("//lms.example.org/course")]
    [InlineData("file:///etc/passwd")]
    [InlineData("https://lms.example.org/course 42")]
    [InlineData("https://lms.example.org/\u0007")]
    [InlineData("https://lms.example.org/<course>")]
    [InlineData("1http://lms.example.org")]
    public void Relative_references_and_characters_no_IRI_holds_are_not(string iri)
        => Assert.False(XapiActivities.IsAbsoluteIri(iri));

    [Fact]
    public void An_IRI_longer_than_2000_characters_is_not()
        => Assert.False(XapiActivities.IsAbsoluteIri("https://lms.example.org/" + new string('a', XapiActivities.MaxIriLength)));

    [Fact]
    public void Activities_are_trimmed_kept_in_order_and_compared_exactly()
    {
        var definition = (A.Definition() with { XapiActivities = [" https://lms.example.org/Course ", "https://lms.example.org/course"] }).Validated();

        Assert.Equal(["https://lms.example.org/Course", "https://lms.example.org/course"], definition.XapiActivities);
    }

    [Fact]
    public void A_definition_stored_before_activities_existed_names_none()
        => Assert.Empty(A.Definition().Validated().XapiActivities);
}
