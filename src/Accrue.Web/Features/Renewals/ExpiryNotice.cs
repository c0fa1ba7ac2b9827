using Accrue.Domain.Accounts;
using Accrue.Domain.Billing;
using Accrue.Domain.Orders;
using Accrue.Domain.Subscriptions;
using Accrue.Web.Data;
using Accrue.Web.Features.Shared;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Accrue.Web.Features.Renewals;

/// <summary>A live subscription that will end at its term end unless someone renews it; <c>TermEnd</c> is the stored (exclusive) end.</summary>
public sealed record ExpiringSubscription(Guid Id, string Name, DateOnly TermEnd, bool WalletShort)
{
    /// <summary>"until 2027-01-01 (in 30 days)", as the reminder emails and the dashboard say it.</summary>
    public string UntilIn(DateOnly today) => EndDates.UntilIn(TermEnd, today);
}

/// <summary>
/// Seed 000: "Your users will also see this reminder when they log into the system." The portal's
/// expiry banner, for every member: live subscriptions of the organization whose renewal reminders
/// apply (<see cref="ExpiryReminders"/>, the rule of the reminder emails and the dashboard card: from the
/// first reminder day on) because they don't renew automatically, or because they renew from a
/// prepaid wallet that holds less than their current term cost (an estimate; WalletAlerts prices the
/// renewal exactly and emails the amount needed). One query per page.
/// </summary>
public sealed class ExpiryNotice(AccrueDb db, PortalContext portal, IOptions<ReminderOptions> options, TimeProvider clock)
{
    public async Task<IReadOnlyList<ExpiringSubscription>> ExpiringAsync(CancellationToken ct = default)
    {
        if (!portal.IsMember) return [];
        var organization = await portal.OrganizationAsync();
        var today = organization.Today(clock);
        var thresholds = options.Value.Thresholds;
        // Coarse in SQL: the last day (end − 1) from today to the largest threshold; exact below.
        var (first, last) = (today.AddDays(1), today.AddDays(options.Value.Horizon + 1));
        var walletPays = organization.BillingMode == BillingMode.Prepaid && !organization.ChargeCardForRenewals;
        var rows = await (
            from s in db.Subscriptions.AsNoTracking()
            where s.OrganizationId == organization.Id
                && (s.Status == SubscriptionStatus.Trial || s.Status == SubscriptionStatus.Active || s.Status == SubscriptionStatus.PastDue)
                && s.TermEnd >= first && s.TermEnd <= last
            join p in db.Plans.AsNoTracking() on s.PlanId equals p.Id
            orderby s.TermEnd
            select new
            {
                s.Id, Plan = p.Name, s.UnitLabel, s.TermStart, s.TermEnd, Renews = s.AutoRenew && !s.CancelAtPeriodEnd,
                // What the current term cost: the order that bought it (a new subscription's order carries
                // no subscription id, but its NextExpiration is the term end it bought).
                LastRenewal = db.Orders.Where(o => o.OrganizationId == s.OrganizationId && o.Status == OrderStatus.Succeeded
                        && (o.Type == OrderType.Renewal || o.Type == OrderType.Activation)
                        && (o.SubscriptionId == s.Id || (o.SubscriptionId == null && o.NextExpiration == s.TermEnd)))
                    .OrderByDescending(o => o.Number).Select(o => (decimal?)o.Total).FirstOrDefault(),
                Balance = db.Wallets.Where(w => w.OrganizationId == s.OrganizationId).Select(w => (decimal?)w.Balance).FirstOrDefault(),
            }).ToListAsync(ct);
        // Decimals compare here rather than in SQL: SQLite keeps them as text.
        return rows
            .Where(r => ExpiryReminders.Applies(thresholds, r.TermStart, r.TermEnd, today))
            .Select(r => new { r, Short = r.Renews && walletPays && (r.Balance ?? 0m) < (r.LastRenewal ?? 0m) })
            .Where(x => !x.r.Renews || x.Short)
            .Select(x => new ExpiringSubscription(x.r.Id, x.r.UnitLabel is { } label ? $"{x.r.Plan} – {label}" : x.r.Plan, x.r.TermEnd, x.Short))
            .ToList();
    }
}
