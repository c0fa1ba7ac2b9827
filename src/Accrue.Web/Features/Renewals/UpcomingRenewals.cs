using Accrue.Domain.Accounts;
using Accrue.Domain.Billing;
using Accrue.Domain.Subscriptions;
using Accrue.Web.Data;
using Accrue.Web.Features.Subscriptions;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Renewals;

/// <summary>How an automatic renewal will be paid (issue 6 §1): the card on file where the customer chose it, else the wallet or a bill.</summary>
public enum RenewalPayment { Wallet, Bill, CardOnFile }

/// <summary>What the next automatic renewal of a subscription will cost and how it will be paid; Amount is null when it can't be priced.</summary>
public sealed record RenewalForecast(Guid SubscriptionId, string Name, decimal? Amount, string Currency, RenewalPayment PaidBy, string? Card, int Months)
{
    public string AmountText => Amount is { } amount ? Money.Format(amount, Currency) : "the plan's current price";

    public string PaidByText(decimal? walletBalance) => PaidBy switch
    {
        RenewalPayment.CardOnFile => $"charged to the card on file ({Card})",
        RenewalPayment.Bill => "billed on an invoice",
        _ when walletBalance is { } balance && Amount is { } amount && balance < amount =>
            $"paid from the wallet, which holds {Money.Format(balance, Currency)} today: top up before then, or the renewal can't be paid",
        _ => "paid from the wallet",
    };
}

/// <summary>
/// Prices the renewal the billing run will make: the plan's current prices and tax through the same
/// <see cref="SubscriptionCommands.PrepareRenewAsync"/> the portal's Renew page uses, for one billing
/// period (a month, or a year for yearly plans) with the current seat counts.
/// </summary>
public sealed class UpcomingRenewals(AccrueDb db, SubscriptionCommands subscriptions, TimeProvider clock)
{
    public async Task<RenewalForecast> ForecastAsync(Organization organization, Subscription subscription, CancellationToken ct)
    {
        var plan = await db.Plans.IgnoreQueryFilters().AsNoTracking().SingleAsync(p => p.Id == subscription.PlanId, ct);
        var name = subscription.UnitLabel is { } label ? $"{plan.Name} – {label}" : plan.Name;
        var months = plan.Period == BillingPeriod.Year ? 12 : 1;
        var prepared = await subscriptions.PrepareRenewAsync(organization.Id, subscription.Id, new RenewRequest { Months = months }, ct);
        db.ChangeTracker.Clear();
        var card = organization.ChargeCardForRenewals
            ? await db.CardsOnFile.IgnoreQueryFilters().AsNoTracking().SingleOrDefaultAsync(c => c.OrganizationId == organization.Id, ct)
            : null;
        var usable = card is not null && !card.IsExpired(organization.Today(clock));
        var paidBy = usable ? RenewalPayment.CardOnFile : organization.BillingMode == BillingMode.Prepaid ? RenewalPayment.Wallet : RenewalPayment.Bill;
        return new RenewalForecast(subscription.Id, name, prepared.Value?.Quote.Total, organization.Currency, paidBy, usable ? card!.ToString() : null, months);
    }

    /// <summary>A subscription the billing run renews rather than ends.</summary>
    public static bool Renews(Subscription subscription) => subscription.AutoRenew && !subscription.CancelAtPeriodEnd;
}
