using System.Globalization;
using System.Text.Json;

namespace Accrue.Web.Tests.Infrastructure;

/// <summary>Reads an amount from an API answer. Amounts travel as decimal strings ("255.00", DESIGN §3).</summary>
public static class JsonMoney
{
    public static decimal GetMoney(this JsonElement element) =>
        decimal.Parse(element.ValueKind == JsonValueKind.String ? element.GetString()! : element.GetRawText(), NumberStyles.Number, CultureInfo.InvariantCulture);

    public static decimal GetMoney(this JsonElement element, string property) => element.GetProperty(property).GetMoney();
}
