using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace Accrue.Web.Infrastructure.Web;

/// <summary>
/// An amount of money as it travels in JSON (DESIGN §3 "Money on the wire"): a decimal string with at
/// least the currency's minor-unit digits — "255.00" in USD, "333" in JPY, "1.250" in BHD — written
/// next to its currency. A price per unit that carries more digits keeps them ("0.045"): nothing is
/// rounded on the wire. Build one with <see cref="Of(decimal, string)"/>, never from a bare number.
/// </summary>
[JsonConverter(typeof(AmountJsonConverter))]
public readonly record struct Amount(decimal Value, int MinorUnits)
{
    public static Amount Of(decimal value, string currency) => new(value, Domain.Billing.Money.MinorUnits(currency));

    public static Amount? Of(decimal? value, string? currency) => value is { } v && currency is not null ? Of(v, currency) : null;

    public override string ToString() => WireDecimal.Format(Value, MinorUnits);
}

public static class AmountExtensions
{
    /// <summary>The amount in <paramref name="currency"/> for an API body: <c>order.Total.ToAmount(order.Currency)</c>.</summary>
    public static Amount ToAmount(this decimal value, string currency) => Amount.Of(value, currency);

    public static Amount? ToAmount(this decimal? value, string? currency) => Amount.Of(value, currency);
}

/// <summary>The decimal-string format shared by <see cref="Amount"/> and every other decimal the API exchanges.</summary>
public static partial class WireDecimal
{
    /// <summary>The pattern the OpenAPI document declares: optional minus, digits, optional fraction. No exponent, no plus sign, no spaces.</summary>
    public const string Pattern = "^-?[0-9]+(\\.[0-9]+)?$";

    [GeneratedRegex(Pattern, RegexOptions.CultureInvariant)]
    private static partial Regex Syntax();

    /// <summary>At least <paramref name="minDigits"/> fraction digits, more when the value has them.</summary>
    public static string Format(decimal value, int minDigits)
    {
        var digits = Math.Max(minDigits, Normalize(value).Scale);
        return value.ToString("F" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    }

    /// <summary>The same value without trailing zeros: 19.0000 → 19, 0.1900 → 0.19.</summary>
    public static decimal Normalize(decimal value) => value / 1.0000000000000000000000000000m;

    public static bool TryParse(string? text, out decimal value)
    {
        value = 0;
        return text is not null && text.Length <= 40 && Syntax().IsMatch(text)
            && decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>Reads a decimal string; a JSON number, or text that isn't a plain decimal, is refused with a message for the caller.</summary>
    public static decimal Read(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Number)
            throw new JsonException(NumberRefused);
        if (reader.TokenType != JsonTokenType.String || !TryParse(reader.GetString(), out var value))
            throw new JsonException(NotADecimal);
        return value;
    }

    public const string NumberRefused = "Send decimals as strings, such as \"12.50\": JSON numbers are refused so no amount ever passes through a float.";
    public const string NotADecimal = "Send a decimal string such as \"12.50\" (digits, an optional minus sign and decimal point; no exponent or thousands separator).";
}

public sealed class AmountJsonConverter : JsonConverter<Amount>
{
    public override Amount Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var value = WireDecimal.Read(ref reader);
        return new Amount(value, value.Scale);
    }

    public override void Write(Utf8JsonWriter writer, Amount value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
}

/// <summary>
/// Every <see cref="decimal"/> in an API body that isn't an <see cref="Amount"/> (tax rates, line quantities,
/// amounts in requests): a decimal string both ways, written without trailing zeros.
/// </summary>
public sealed class DecimalStringJsonConverter : JsonConverter<decimal>
{
    public override decimal Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => WireDecimal.Read(ref reader);

    public override void Write(Utf8JsonWriter writer, decimal value, JsonSerializerOptions options) =>
        writer.WriteStringValue(WireDecimal.Format(value, 0));
}

/// <summary>
/// A count sent as a JSON number that the use case checks itself (usage quantities: a fraction is refused per
/// event, not as a broken body). The document declares it an integer.
/// </summary>
public sealed class WholeNumberJsonConverter : JsonConverter<decimal>
{
    public override decimal Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Number && reader.TryGetDecimal(out var value) ? value : throw new JsonException("Send a whole number such as 12 (a JSON integer, not a string).");

    public override void Write(Utf8JsonWriter writer, decimal value, JsonSerializerOptions options) => writer.WriteNumberValue(value);
}
