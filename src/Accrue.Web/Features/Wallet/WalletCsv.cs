using System.Globalization;
using Accrue.Domain.Billing;
using Accrue.Domain.Wallets;
using Accrue.Web.Infrastructure.Web;

namespace Accrue.Web.Features.Wallet;

/// <summary>The wallet's history as CSV for spreadsheets: one row per entry, amounts with the currency's decimals.</summary>
public static class WalletCsv
{
    private static readonly string[] Header = ["Date (UTC)", "Sequence", "Kind", "Direction", "Description", "Amount", "Balance after", "Currency", "Reason", "Order"];

    public static byte[] Write(IEnumerable<WalletEntry> entries, IReadOnlyDictionary<Guid, string> orderReferences) =>
        CsvExport.Write(Header, entries.Select(e => (IReadOnlyList<string>)[
            e.At.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), e.Sequence.ToString(CultureInfo.InvariantCulture),
            WalletText.Kind(e.Kind), e.IsCredit ? "Credit" : "Debit", e.Description, Format(e.Amount, e.Currency), Format(e.BalanceAfter, e.Currency),
            e.Currency, e.Reason ?? "", e.OrderId is { } id && orderReferences.TryGetValue(id, out var reference) ? reference : "",
        ]));

    private static string Format(decimal amount, string currency) =>
        Money.Round(amount, currency).ToString("F" + Money.MinorUnits(currency).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
}
