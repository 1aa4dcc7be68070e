using CredentialFunctions.Domain.Programs;

namespace CredentialFunctions.Domain.Tests;

public class ProgramDefinitionTests
{
    [Fact]
    public void A_valid_definition_creates_version_one_and_a_revision_makes_version_two()
    {
        var p = A.Program();
        var revised = p.Revise(A.Definition(threshold: 80), A.Jan1.AddDays(1), "pm");
        Assert.Equal((1, 2, "widgetmaker"), (p.Version, revised.Version, revised.ProgramId));
        Assert.Equal(80, revised.Definition.PassThreshold);
    }

    [Fact]
    public void Every_broken_rule_is_reported_at_once()
    {
        var bad = A.Definition(threshold: 120) with
        {
            Name = "",
            IssuingOrganization = " ",
            Renewal = A.Terms("P30D", "P30D", RenewalPathway.ContinuingEducationCredits),
            CreditsAwarded = [new CeuCredit(0, "")],
        };
        var e = Assert.Throws<ValidationFailedException>(bad.Validate);
        Assert.Equal(
            ["creditsAwarded[0].amount", "creditsAwarded[0].category", "issuingOrganization", "name", "passThreshold", "renewal.reminderOffsets", "renewal.renewalWindow", "renewal.requiredCeCredits"],
            e.Errors.Keys.Order());
    }
}
