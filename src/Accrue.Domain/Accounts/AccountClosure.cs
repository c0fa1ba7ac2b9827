using Accrue.Domain.Billing;
using Accrue.Domain.Common;

namespace Accrue.Domain.Accounts;

/// <summary>A bill the customer still owes: an issued invoice that is open.</summary>
public sealed record OutstandingBill(string Number, string Currency, decimal Total);

/// <summary>
/// Suspending, closing and reactivating a customer account. Seed 001: "make sure you have withdrawn
/// all their credits/cleared all their debts. Otherwise, the account cannot be deleted" — so an
/// account is suspended or closed only when its wallet is empty and no bill is open, and a refusal
/// names every blocker with its figures so the operator knows what to do next.
/// </summary>
public static class AccountClosure
{
    /// <summary>The key under which a refusal lists its blockers (a form alert, a ProblemDetails extension).</summary>
    public const string BlockersKey = "blockers";
    public const int MaxReasonLength = 500;

    /// <summary>What stands in the way of suspending, closing or deleting; empty when nothing does.</summary>
    public static IReadOnlyList<string> Blockers(decimal walletBalance, string walletCurrency, IEnumerable<OutstandingBill> openBills)
    {
        var blockers = new List<string>();
        if (walletBalance != 0)
            blockers.Add($"Withdraw the remaining wallet balance of {Money.Format(walletBalance, walletCurrency)}");
        var bills = openBills.OrderBy(b => b.Number, StringComparer.Ordinal).ToList();
        if (bills.Count > 0)
        {
            var list = string.Join(", ", bills.Select(b => $"{b.Number} ({Money.Format(b.Total, b.Currency)})"));
            blockers.Add($"Settle {bills.Count} open {(bills.Count == 1 ? "bill" : "bills")}: {list}");
        }
        return blockers;
    }

    /// <summary>
    /// Moves <paramref name="organization"/> to <paramref name="to"/> with its reason, or says why it can't:
    /// the reason is required; suspending needs an active account, closing an active or suspended one,
    /// reactivating a suspended or closed one; suspending and closing need no <paramref name="blockers"/>.
    /// </summary>
    public static Failure? ChangeStatus(Organization organization, OrganizationStatus to, string? reason, IReadOnlyList<string> blockers, DateTimeOffset at)
    {
        var errors = new FieldErrors().Require("Reason", reason, "Reason", MaxReasonLength);
        if (errors.Any) return errors.ToFailure();

        var from = organization.Status;
        var allowed = to switch
        {
            OrganizationStatus.Suspended => from == OrganizationStatus.Active,
            OrganizationStatus.Closed => from is OrganizationStatus.Active or OrganizationStatus.Suspended,
            _ => from is OrganizationStatus.Suspended or OrganizationStatus.Closed,
        };
        if (!allowed)
            return Failure.Conflict(from == to
                ? $"The organization is already {Describe(to)}."
                : $"A {Describe(from)} organization can't be {Verb(to)}.");

        if (to != OrganizationStatus.Active && blockers.Count > 0) return HasBlockers(Verb(to), blockers);

        Move(organization, to, reason!, at);
        return null;
    }

    /// <summary>
    /// Marks a closed account deleted, or says why it can't be: seed 001's "Delete" comes after closing, behind
    /// the same <paramref name="blockers"/>, with a reason. Deleting is final: nothing reactivates a deleted account.
    /// </summary>
    public static Failure? Delete(Organization organization, string? reason, IReadOnlyList<string> blockers, DateTimeOffset at)
    {
        var errors = new FieldErrors().Require("Reason", reason, "Reason", MaxReasonLength);
        if (errors.Any) return errors.ToFailure();
        if (organization.Status != OrganizationStatus.Closed)
            return Failure.Conflict(organization.Status == OrganizationStatus.Deleted
                ? "The organization is already deleted."
                : $"Only a closed organization can be deleted; this one is {Describe(organization.Status)}. Close it first.") with { Code = "organization_not_closed" };
        if (blockers.Count > 0) return HasBlockers("deleted", blockers);

        Move(organization, OrganizationStatus.Deleted, reason!, at);
        return null;
    }

    private static Failure HasBlockers(string verb, IReadOnlyList<string> blockers) =>
        new(FailureKind.Conflict,
            $"The organization can't be {verb} yet. {string.Join(". ", blockers)}.",
            new Dictionary<string, string[]> { [BlockersKey] = blockers.ToArray() }) { Code = "organization_has_blockers" };

    private static void Move(Organization organization, OrganizationStatus to, string reason, DateTimeOffset at)
    {
        organization.Status = to;
        organization.StatusReason = reason.Trim();
        organization.StatusChangedAt = at;
    }

    public static string Describe(OrganizationStatus status) => status.ToString().ToLowerInvariant();

    private static string Verb(OrganizationStatus to) => to switch
    {
        OrganizationStatus.Suspended => "suspended",
        OrganizationStatus.Closed => "closed",
        _ => "reactivated",
    };
}
