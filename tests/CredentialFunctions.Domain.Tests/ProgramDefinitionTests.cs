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
            Renewal = A.Terms("P30D", grace: "P30D", pathways: [RenewalPathway.ContinuingEducationCredits]),
            CreditsAwarded = [new CeuCredit(0, "")],
        };
        var e = Assert.Throws<ValidationFailedException>(() => bad.Validated());
        Assert.Equal(
            ["creditsAwarded[0].amount", "creditsAwarded[0].category", "issuingOrganization", "name", "passThreshold", "renewal.reminderOffsets", "renewal.renewalWindow", "renewal.requiredCeCredits"],
            e.Errors.Keys.Order());
    }

    [Theory]
    [InlineData("validity", "P51Y", "renewal.validity")]
    [InlineData("validity", "P100Y1200M", "renewal.validity")]
    [InlineData("renewalWindow", "P6Y", "renewal.renewalWindow")]
    [InlineData("gracePeriod", "P5Y1D", "renewal.gracePeriod")]
    [InlineData("lapseFollowUp", "P100Y", "renewal.lapseFollowUp")]
    [InlineData("maxGraceExtension", "P61M", "renewal.maxGraceExtension")]
    [InlineData("reminderOffset", "P36500D", "renewal.reminderOffsets")]
    public void A_duration_beyond_its_limit_is_refused_naming_the_field(string which, string duration, string field)
    {
        var d = IsoDuration.Parse(duration);
        var terms = A.Terms("P50Y");
        terms = which switch
        {
            "validity" => terms with { Validity = d },
            "renewalWindow" => terms with { RenewalWindow = d },
            "gracePeriod" => terms with { GracePeriod = d },
            "lapseFollowUp" => terms with { LapseFollowUp = d },
            "maxGraceExtension" => terms with { MaxGraceExtension = d },
            _ => terms with { ReminderOffsets = [d] },
        };
        var e = Assert.Throws<ValidationFailedException>(() => A.Definition(terms: terms).Validated());
        Assert.Equal([field], e.Errors.Keys);
    }

    [Fact]
    public void Durations_at_their_limits_are_accepted()
    {
        var terms = A.Terms("P50Y", grace: "P5Y") with
        {
            ReminderOffsets = [IsoDuration.Parse("P60M"), IsoDuration.Parse("P1D")],
            RenewalWindow = IsoDuration.Parse("P5Y"),
            LapseFollowUp = IsoDuration.Parse("P1826D"),
            MaxGraceExtension = IsoDuration.Parse("P5Y"),
        };
        Assert.Equal(terms, A.Definition(terms: terms).Validated().Renewal);
    }

    [Fact]
    public void Thirteen_reminders_are_too_many()
    {
        var terms = A.Terms() with { ReminderOffsets = Enumerable.Range(1, 13).Select(IsoDuration.FromDays).ToList() };
        Assert.Equal(["renewal.reminderOffsets"], Assert.Throws<ValidationFailedException>(() => A.Definition(terms: terms).Validated()).Errors.Keys);
    }

    [Fact]
    public void Names_are_normalised_and_names_that_hide_characters_are_refused()
    {
        var composed = A.Definition() with { Name = "  Certified Ve\u0301rificateur ", Brand = "" };
        var accepted = composed.Validated();
        Assert.Equal(("Certified V\u00e9rificateur", null), (accepted.Name, accepted.Brand));

        var hidden = A.Definition() with { Name = "Widget\nBoard", IssuingOrganization = "Widget \u202EdraoB", Brand = "WB\u200B", ContentVersion = "1\t2", CreditsAwarded = [new CeuCredit(1, "CPD\u0000")] };
        var e = Assert.Throws<ValidationFailedException>(() => hidden.Validated());
        Assert.Equal(["brand", "contentVersion", "creditsAwarded[0].category", "issuingOrganization", "name"], e.Errors.Keys.Order());
    }
}
