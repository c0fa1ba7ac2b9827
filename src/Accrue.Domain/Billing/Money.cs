using Accrue.Domain.Reference;

namespace Accrue.Domain.Billing;

/// <summary>
/// Money rules of DESIGN §3: exact decimals, rounded to the currency's minor unit half away from
/// zero, once per line. There is no conversion between currencies.
/// </summary>
public static class Money
{
    public static int MinorUnits(string currency) =>
        Currencies.All.TryGetValue(currency, out var c) ? c.MinorUnits : throw new ArgumentException($"Unknown currency '{currency}'.", nameof(currency));

    /// <remarks>
    /// A share computed by decimal division (7/12 of a year, 3/28 of February) can come out 1e-27 below an
    /// exact midpoint such as 1.005; snapping to 16 places first puts it back on the midpoint. Real prices
    /// differ from a midpoint by far more than 1e-16, so nothing else moves.
    /// </remarks>
    public static decimal Round(decimal amount, string currency) =>
        Math.Round(Math.Round(amount, 16, MidpointRounding.AwayFromZero), MinorUnits(currency), MidpointRounding.AwayFromZero);

    /// <summary>The smallest amount the currency can express: 0.01 for EUR, 1 for JPY.</summary>
    public static decimal MinorUnit(string currency) => 1m / Pow10(MinorUnits(currency));

    public static string Format(decimal amount, string currency) =>
        $"{currency} {amount.ToString("N" + MinorUnits(currency), System.Globalization.CultureInfo.InvariantCulture)}";

    private static decimal Pow10(int n)
    {
        var result = 1m;
        for (var i = 0; i < n; i++) result *= 10;
        return result;
    }
}
