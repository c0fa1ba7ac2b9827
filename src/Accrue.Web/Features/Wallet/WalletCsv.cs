using System.Globalization;
using Accrue.Domain.Billing;
using Accrue.Domain.Wallets;
using CsvHelper;

namespace Accrue.Web.Features.Wallet;

/// <summary>The wallet's history as CSV for spreadsheets: one row per entry, amounts with the currency's decimals.</summary>
public static class WalletCsv
{
    private static readonly string[] Header = ["Date (UTC)", "Sequence", "Kind", "Direction", "Description", "Amount", "Balance after", "Currency", "Reason", "Order"];

    public static byte[] Write(IEnumerable<WalletEntry> entries, IReadOnlyDictionary<Guid, string> orderReferences)
    {
        var options = new CsvWriterOptions { FormatProvider = CultureInfo.InvariantCulture };
        using var stream = new MemoryStream();
        using (var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(false), leaveOpen: true))
        using (var csv = CsvWriter.Create(writer, options, true))
        {
            csv.WriteHeader(Header);
            foreach (var e in entries)
                csv.WriteRecord([
                    e.At.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), e.Sequence.ToString(CultureInfo.InvariantCulture),
                    WalletText.Kind(e.Kind), e.IsCredit ? "Credit" : "Debit", Typed(e.Description), Format(e.Amount, e.Currency), Format(e.BalanceAfter, e.Currency),
                    e.Currency, Typed(e.Reason ?? ""), e.OrderId is { } id && orderReferences.TryGetValue(id, out var reference) ? reference : "",
                ]);
        }
        return stream.ToArray();
    }

    /// <summary>
    /// Descriptions and reasons are typed by people: one starting like a formula ("=", "+", "-", "@")
    /// gets a leading apostrophe so a spreadsheet shows it as text. Amounts are ours and stay numbers.
    /// </summary>
    private static string Typed(string text) => text.Length > 0 && "=+-@\t\r".Contains(text[0]) ? "'" + text : text;

    private static string Format(decimal amount, string currency) =>
        Money.Round(amount, currency).ToString("F" + Money.MinorUnits(currency).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
}
