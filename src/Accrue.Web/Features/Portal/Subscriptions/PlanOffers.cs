using Accrue.Domain.Catalog;
using Accrue.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Portal.Subscriptions;

/// <summary>A plan on offer with its current price in the organization's currency.</summary>
public sealed record PlanOffer(Plan Plan, PlanPrice Price);

public static class PlanOffers
{
    /// <summary>Active plans priced in <paramref name="currency"/>, of the given product kinds, or of the given ids.</summary>
    public static async Task<List<PlanOffer>> PlanOffersAsync(this AccrueDb db, string currency, ProductKind[] kinds, IReadOnlyCollection<Guid>? ids = null, CancellationToken ct = default)
    {
        var query = db.Plans.AsNoTracking().Include(p => p.Product).Include(p => p.SeatTypes)
            .Where(p => p.Active && p.CurrentVersionId != null && kinds.Contains(p.Product!.Kind));
        if (ids is not null) query = query.Where(p => ids.Contains(p.Id));
        var plans = await query.ToListAsync(ct);
        var versionIds = plans.Select(p => p.CurrentVersionId!.Value).ToList();
        var versions = await db.PlanVersions.AsNoTracking().Where(v => versionIds.Contains(v.Id)).ToDictionaryAsync(v => v.Id, ct);
        return plans
            .Select(p => (Plan: p, Price: versions[p.CurrentVersionId!.Value].PriceIn(currency)))
            .Where(o => o.Price is not null)
            .Select(o => new PlanOffer(o.Plan, o.Price!))
            .OrderBy(o => o.Plan.Product!.Name, StringComparer.Ordinal).ThenBy(o => o.Plan.Name, StringComparer.Ordinal)
            .ToList();
    }
}
