using Accrue.Domain.Reference;
using Accrue.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Catalog;

public static class CatalogQueries
{
    /// <summary>The organization's country decides the rate; a country without one is taxed at zero, and the invoice says so.</summary>
    public static async Task<(decimal Rate, string? Note)> TaxForAsync(this AccrueDb db, Guid operatorId, string country, CancellationToken ct)
    {
        var rate = await db.TaxRates.AsNoTracking().SingleOrDefaultAsync(t => t.OperatorId == operatorId && t.Country == country, ct);
        return rate is null ? (0m, $"No tax rate is set for {Countries.NameOf(country)}: taxed at 0 %.") : (rate.Rate, null);
    }
}
