using System.Text.Json.Serialization;

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

    /// <summary>The amount in the currency's major unit (dollars, yen), by ISO 4217's count of its minor-unit digits.</summary>
    [JsonIgnore]
    public decimal MajorUnits => MinorUnits / (decimal)Math.Pow(10, MinorUnitDigits);

    /// <summary>ISO 4217's exponent: 2 for most currencies, 0 for those without a minor unit, 3 for the dinars and rials that count in thousandths.</summary>
    [JsonIgnore]
    public int MinorUnitDigits => Currency switch
    {
        "BIF" or "CLP" or "DJF" or "GNF" or "ISK" or "JPY" or "KMF" or "KRW" or "PYG" or "RWF" or "UGX" or "UYI" or "VND" or "VUV" or "XAF" or "XOF" or "XPF" => 0,
        "BHD" or "IQD" or "JOD" or "KWD" or "LYD" or "OMR" or "TND" => 3,
        _ => 2,
    };

    public override string ToString() => $"{MinorUnits} {Currency} (minor units)";
}
