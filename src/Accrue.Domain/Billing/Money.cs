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

    public static decimal Round(decimal amount, string currency) =>
        Math.Round(amount, MinorUnits(currency), MidpointRounding.AwayFromZero);

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
