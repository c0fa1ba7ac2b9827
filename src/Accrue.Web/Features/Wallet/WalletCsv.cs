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
        // Descriptions and reasons are typed by people: a leading "=" or "+" must not run as a formula in a spreadsheet.
        var options = new CsvWriterOptions { Injection = CsvInjection.Escape, FormatProvider = CultureInfo.InvariantCulture };
        using var stream = new MemoryStream();
        using (var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(false), leaveOpen: true))
        using (var csv = CsvWriter.Create(writer, options, true))
        {
            csv.WriteHeader(Header);
            foreach (var e in entries)
                csv.WriteRecord([
                    e.At.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), e.Sequence.ToString(CultureInfo.InvariantCulture),
                    WalletText.Kind(e.Kind), e.IsCredit ? "Credit" : "Debit", e.Description, Format(e.Amount, e.Currency), Format(e.BalanceAfter, e.Currency),
                    e.Currency, e.Reason ?? "", e.OrderId is { } id && orderReferences.TryGetValue(id, out var reference) ? reference : "",
                ]);
        }
        return stream.ToArray();
    }

    private static string Format(decimal amount, string currency) =>
        Money.Round(amount, currency).ToString("F" + Money.MinorUnits(currency).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
}
