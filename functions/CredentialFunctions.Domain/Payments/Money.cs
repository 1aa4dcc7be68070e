namespace CredentialFunctions.Domain.Payments;

/// <summary>
/// An amount in an ISO 4217 currency, counted in the currency's minor unit (cents; yen for JPY) the
/// way payment providers count it, so a fee and a provider's amount compare exactly.
/// </summary>
/// <param name="Currency">The ISO 4217 code, upper case (e.g. "USD").</param>
public sealed record Money(long MinorUnits, string Currency)
{
    /// <summary>The error with an amount or currency as a request states it; null when both are sound.</summary>
    public static string? Problem(long minorUnits, string? currency)
    {
        if (minorUnits < 0) return "An amount cannot be negative.";
        if (currency is not { Length: 3 } || !currency.All(char.IsAsciiLetterUpper)) return "A currency is its three-letter ISO 4217 code in upper case, e.g. USD.";
        return null;
    }

    public override string ToString() => $"{MinorUnits} {Currency} (minor units)";
}
