using CredentialFunctions.Domain.Payments;

namespace CredentialFunctions.Domain.Programs;

/// <summary>A document an eligibility pathway asks for (a diploma, a training certificate), and what the reviewer accepts as one.</summary>
/// <param name="Accepted">What counts, in the reviewer's words, e.g. "a scan of the degree certificate or the final transcript".</param>
public sealed record RequiredDocument(string Name, string Accepted);

/// <summary>One way a candidate qualifies to sit (seed 000's "eligibility pathways"), e.g. "degree + 2 years' experience".</summary>
/// <param name="PathwayId">How an application names the pathway: stable across program versions.</param>
public sealed record EligibilityPathway(string PathwayId, string Name, IReadOnlyList<RequiredDocument> Documents, string? Description = null);

/// <summary>
/// How often a candidate may sit: at most <see cref="AttemptsAllowed"/> attempts within any
/// <see cref="Period"/>, each retake at least <see cref="WaitingPeriod"/> after the failed attempt before it.
/// </summary>
public sealed record RetakePolicy(int AttemptsAllowed, IsoDuration Period, IsoDuration WaitingPeriod)
{
    public static readonly RetakePolicy Default = new(3, new IsoDuration(1, 0, 0, TimeSpan.Zero), IsoDuration.FromDays(14));

    public const int MostAttempts = 20;
}

/// <summary>The rules for a program's applications, checked with the rest of its definition.</summary>
internal static class ApplicationRules
{
    public const int MostPathways = 10;
    public const int MostDocuments = 10;

    /// <summary>A fee above this is surely a typo in minor units (a million in the major unit).</summary>
    public const long LargestFee = 100_000_000;

    public static IReadOnlyList<EligibilityPathway> ValidatePathways(ValidationErrors errors, IReadOnlyList<EligibilityPathway> pathways)
    {
        if (pathways.Count > MostPathways) errors.Add("eligibilityPathways", $"At most {MostPathways} eligibility pathways.");
        var validated = new List<EligibilityPathway>(pathways.Count);
        for (var i = 0; i < pathways.Count; i++)
        {
            var field = $"eligibilityPathways[{i}]";
            var p = pathways[i];
            var id = PlainText.Required(errors, $"{field}.pathwayId", p.PathwayId, 50);
            if (!id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
                errors.Add($"{field}.pathwayId", "A pathway id is letters, digits, '-' and '_', e.g. degree-experience.");
            var documents = p.Documents ?? [];
            if (documents.Count > MostDocuments) errors.Add($"{field}.documents", $"At most {MostDocuments} documents.");
            validated.Add(new EligibilityPathway(
                id,
                PlainText.Required(errors, $"{field}.name", p.Name, 200),
                [.. documents.Select((d, j) => new RequiredDocument(
                    PlainText.Required(errors, $"{field}.documents[{j}].name", d.Name, 200),
                    PlainText.Required(errors, $"{field}.documents[{j}].accepted", d.Accepted, 500)))],
                PlainText.Optional(errors, $"{field}.description", p.Description, 1000)));
        }
        if (validated.GroupBy(p => p.PathwayId, StringComparer.Ordinal).Any(g => g.Count() > 1))
            errors.Add("eligibilityPathways", "Pathway ids must be distinct.");
        return validated;
    }

    public static void ValidateFee(ValidationErrors errors, Money? fee)
    {
        if (fee is null) return;
        if (Money.Problem(fee.MinorUnits, fee.Currency) is { } problem) errors.Add("fee", problem);
        else if (fee.MinorUnits is 0 or > LargestFee) errors.Add("fee.minorUnits", $"A fee is from 1 to {LargestFee:N0} minor units; leave the fee out when there is none.");
    }

    public static void ValidateRetake(ValidationErrors errors, RetakePolicy retake)
    {
        if (retake.AttemptsAllowed is < 1 or > RetakePolicy.MostAttempts) errors.Add("retake.attemptsAllowed", $"From 1 to {RetakePolicy.MostAttempts} attempts.");
        if (retake.Period.IsZero) errors.Add("retake.period", "The period attempts are counted in must be longer than zero.");
        if (retake.Period.IsLongerThan(RenewalTerms.LongestPeriod)) errors.Add("retake.period", $"At most {RenewalTerms.LongestPeriod}.");
        if (retake.WaitingPeriod.IsLongerThan(retake.Period)) errors.Add("retake.waitingPeriod", "The waiting period cannot be longer than the period attempts are counted in.");
    }
}
