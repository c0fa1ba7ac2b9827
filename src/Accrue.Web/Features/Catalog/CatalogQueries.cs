using Accrue.Domain.Reference;
using Accrue.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Catalog;

/// <summary>Catalog look-ups other features share.</summary>
public static class CatalogQueries
{
    /// <summary>
    /// The tax rate (a fraction) for an organization in <paramref name="country"/>. A country without
    /// a rate is taxed at zero, and the note says so for the invoice (issue 3, §2).
    /// </summary>
    public static async Task<(decimal Rate, string? Note)> TaxForAsync(this AccrueDb db, Guid operatorId, string country, CancellationToken ct)
    {
        var code = country.Trim().ToUpperInvariant();
        var rate = await db.TaxRates.AsNoTracking()
            .Where(t => t.OperatorId == operatorId && t.Country == code)
            .Select(t => (decimal?)t.Rate)
            .SingleOrDefaultAsync(ct);
        return rate is { } r ? (r, null) : (0m, $"No tax rate is set for {Countries.NameOf(code)}: taxed at 0 %.");
    }
}
