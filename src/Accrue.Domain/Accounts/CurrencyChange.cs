using Accrue.Domain.Common;

namespace Accrue.Domain.Accounts;

/// <summary>
/// An organization's currency prices everything it holds: its subscriptions renew at the plan's
/// price in that currency, its bills and wallet are kept in it, and its unit packs were bought in it.
/// No conversion between currencies exists (DESIGN §3), so the currency changes only when nothing
/// priced in it is left, and a refusal names every blocker, as closing does.
/// </summary>
public static class CurrencyChange
{
    public const string Code = "currency_locked";

    /// <summary>
    /// Why <paramref name="organization"/> can't move to <paramref name="newCurrency"/>: null when it may
    /// (or the currency stays the same). Live subscriptions are those not cancelled or expired.
    /// </summary>
    public static Failure? Refusal(Organization organization, string newCurrency, int liveSubscriptions,
        decimal walletBalance, IEnumerable<OutstandingBill> openBills, IEnumerable<(string Meter, long Units)> unitBalances)
    {
        if (string.Equals(organization.Currency, newCurrency, StringComparison.Ordinal)) return null;

        var blockers = new List<string>();
        if (liveSubscriptions > 0)
            blockers.Add($"End or cancel {liveSubscriptions} live {(liveSubscriptions == 1 ? "subscription" : "subscriptions")}");
        blockers.AddRange(AccountClosure.Blockers(walletBalance, organization.Currency, openBills));
        var units = unitBalances.Where(u => u.Units > 0).OrderBy(u => u.Meter, StringComparer.Ordinal).ToList();
        if (units.Count > 0)
            blockers.Add($"Use up or withdraw the unit balances ({string.Join(", ", units.Select(u => $"{u.Units} {u.Meter}"))})");
        if (blockers.Count == 0) return null;

        var message = $"The currency can't change from {organization.Currency} while anything is priced in it. {string.Join(". ", blockers)}.";
        return new Failure(FailureKind.Conflict, message, new Dictionary<string, string[]> { [nameof(Organization.Currency)] = [message] }) { Code = Code };
    }
}
