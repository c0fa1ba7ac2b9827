using Accrue.Domain.Accounts;
using Accrue.Domain.Billing;
using Accrue.Domain.Catalog;
using Accrue.Domain.Subscriptions;
using Accrue.Web.Data;
using Accrue.Web.Features.Orders;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Portal.Subscriptions;

/// <summary>A subscription as the portal shows it: its plan, and how many of each seat type members use.</summary>
public sealed record SubscriptionView(Subscription Subscription, Plan Plan, IReadOnlyDictionary<Guid, int> Assigned, Member? UnitMember)
{
    public int AssignedOf(Guid seatTypeId) => Assigned.GetValueOrDefault(seatTypeId);

    public string Name => Subscription.UnitLabel is { } label ? $"{Plan.Name} – {label}" : Plan.Name;

    /// <summary>What will happen without anyone acting (seed 004: scheduled changes).</summary>
    public IEnumerable<string> ScheduledChanges(DateOnly today)
    {
        var s = Subscription;
        // Seats chosen for the next term at an early renewal: paid for, they count from its first day.
        foreach (var group in s.ScheduledSeats(today).GroupBy(x => x.From))
            yield return $"Seats for the next term, from {EndDates.Text(group.Key)}: {string.Join(", ", group.Select(x => $"{x.Seats.Name} {x.Seats.Count}"))}; until then the current counts apply.";
        if (s.Status == SubscriptionStatus.Trial && s.TrialEndsOn is { } trialEnds) yield return $"The trial runs {EndDates.Until(trialEnds)}.";
        if (s.Status == SubscriptionStatus.Paused && s.PausedOn is { } paused) yield return $"Paused since {paused:yyyy-MM-dd}; the paused days are added to the term when it resumes.";
        if (s.CancelAtPeriodEnd) yield return $"Cancels at the end of the term: it runs {EndDates.Until(s.TermEnd)}, then ends.";
        else if (!s.AutoRenew && s.Status is not (SubscriptionStatus.Cancelled or SubscriptionStatus.Expired))
            yield return $"Auto-renew is off: it runs {EndDates.Until(s.TermEnd)}, then expires.";
    }
}

public static class SubscriptionViews
{
    /// <summary>Every subscription of the organization with its plan and assigned seat counts, newest plan names first by name.</summary>
    public static async Task<List<SubscriptionView>> SubscriptionViewsAsync(this AccrueDb db, Guid organizationId, CancellationToken ct = default)
    {
        var subscriptions = await db.Subscriptions.AsNoTracking().Include(s => s.Items)
            .Where(s => s.OrganizationId == organizationId).ToListAsync(ct);
        var planIds = subscriptions.Select(s => s.PlanId).Distinct().ToList();
        var plans = await db.Plans.AsNoTracking().Include(p => p.Product).Include(p => p.SeatTypes)
            .Where(p => planIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, ct);
        var ids = subscriptions.Select(s => s.Id).ToList();
        var assigned = await db.Members.AsNoTracking()
            .Where(m => m.OrganizationId == organizationId && m.SeatSubscriptionId != null && m.SeatTypeId != null && ids.Contains(m.SeatSubscriptionId.Value))
            .GroupBy(m => new { Subscription = m.SeatSubscriptionId!.Value, SeatType = m.SeatTypeId!.Value })
            .Select(g => new { g.Key.Subscription, g.Key.SeatType, Count = g.Count() })
            .ToListAsync(ct);
        var memberIds = subscriptions.Where(s => s.MemberId != null).Select(s => s.MemberId!.Value).ToList();
        var members = await db.Members.AsNoTracking().Include(m => m.Department)
            .Where(m => memberIds.Contains(m.Id)).ToDictionaryAsync(m => m.Id, ct);
        return subscriptions
            .Select(s => new SubscriptionView(s, plans[s.PlanId],
                assigned.Where(a => a.Subscription == s.Id).ToDictionary(a => a.SeatType, a => a.Count),
                s.MemberId is { } memberId ? members.GetValueOrDefault(memberId) : null))
            .OrderBy(v => v.Subscription.Status is SubscriptionStatus.Cancelled or SubscriptionStatus.Expired)
            .ThenBy(v => v.Plan.Name, StringComparer.Ordinal).ThenBy(v => v.Subscription.UnitLabel, StringComparer.Ordinal)
            .ToList();
    }

    public static async Task<SubscriptionView?> SubscriptionViewAsync(this AccrueDb db, Guid organizationId, Guid subscriptionId, CancellationToken ct = default)
    {
        var subscription = await db.Subscriptions.AsNoTracking().Include(s => s.Items)
            .SingleOrDefaultAsync(s => s.Id == subscriptionId && s.OrganizationId == organizationId, ct);
        if (subscription is null) return null;
        var plan = await db.Plans.AsNoTracking().Include(p => p.Product).Include(p => p.SeatTypes).SingleAsync(p => p.Id == subscription.PlanId, ct);
        var member = subscription.MemberId is { } memberId ? await db.Members.AsNoTracking().Include(m => m.Department).SingleOrDefaultAsync(m => m.Id == memberId, ct) : null;
        return new SubscriptionView(subscription, plan, await db.AssignedSeatsAsync(subscription.Id, ct), member);
    }

    public static string BadgeClass(SubscriptionStatus status) => status switch
    {
        SubscriptionStatus.Active => "text-bg-success",
        SubscriptionStatus.Trial => "text-bg-info",
        SubscriptionStatus.PastDue or SubscriptionStatus.Suspended => "text-bg-warning",
        SubscriptionStatus.Paused => "text-bg-secondary",
        _ => "text-bg-dark",
    };
}
