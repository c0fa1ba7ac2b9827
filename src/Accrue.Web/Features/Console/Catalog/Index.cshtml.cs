using Accrue.Domain.Catalog;
using Accrue.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Console.Catalog;

/// <summary>The operator's products and plans.</summary>
public sealed class IndexModel(AccrueDb db) : CatalogPageModel(db)
{
    public sealed record PlanRow(Guid Id, string Code, string Name, string Product, string Period, string Model, int? Version, bool Active, bool SoldPerUnit);

    public IReadOnlyList<Product> Products { get; private set; } = [];
    public IReadOnlyList<PlanRow> Plans { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        Products = await Db.Products.AsNoTracking().OrderBy(p => p.Name).ToListAsync(ct);
        var plans = await Db.Plans.AsNoTracking().Include(p => p.Product).OrderBy(p => p.Name).ToListAsync(ct);
        var versionIds = plans.Where(p => p.CurrentVersionId is not null).Select(p => p.CurrentVersionId!.Value).ToList();
        var numbers = await Db.PlanVersions.AsNoTracking().Where(v => versionIds.Contains(v.Id)).ToDictionaryAsync(v => v.Id, v => v.Number, ct);
        Plans = [.. plans.Select(p => new PlanRow(p.Id, p.Code, p.Name, p.Product?.Name ?? "", p.Period.ToString(), p.Model.ToString(),
            p.CurrentVersionId is { } v && numbers.TryGetValue(v, out var n) ? n : null, p.Active, p.SoldPerUnit))];
    }
}
