using System.Globalization;
using System.Text.Json;

namespace Accrue.Web.Tests.Infrastructure;

/// <summary>
/// Reads an amount (or any other decimal) from an API answer. Decimals travel as decimal strings ("255.00", DESIGN §3);
/// a JSON number fails the test.
/// </summary>
public static class JsonMoney
{
    public static decimal GetMoney(this JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.String)
            throw new Xunit.Sdk.XunitException($"Expected a decimal string, got {element.ValueKind}: {element.GetRawText()}");
        return decimal.Parse(element.GetString()!, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
    }

    public static decimal GetMoney(this JsonElement element, string property) => element.GetProperty(property).GetMoney();

    /// <summary>A decimal as a request body sends it: "12.50".</summary>
    public static string Wire(this decimal value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>The text of an amount as sent ("255.00"), to check its digits.</summary>
    public static string GetMoneyText(this JsonElement element, string property)
    {
        var value = element.GetProperty(property);
        Assert.Equal(JsonValueKind.String, value.ValueKind);
        return value.GetString()!;
    }
}
