using Accrue.Domain.Billing;
using Accrue.Domain.Catalog;
using Accrue.Domain.Common;
using Accrue.Domain.Orders;
using Accrue.Web.Data;
using Accrue.Web.Features.Catalog;
using Accrue.Web.Features.Orders;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Usage;

/// <summary>
/// Unit packs bought as orders (seed 000: OCR pages, SMS, WhatsApp messages). Prepared and priced like
/// every purchase; the <see cref="Fulfiller"/> credits the units through <see cref="UnitLedger"/> once the order is paid.
/// </summary>
public sealed class UnitCommands(AccrueDb db, OrderCommands orders)
{
    public const int MaxPacksPerOrder = 1000;

    public async Task<Result<Purchase>> PrepareUnitPackAsync(Guid organizationId, Guid planId, int packs, CancellationToken ct = default)
    {
        if (await orders.CheckBuyerAsync(acknowledged: true, ct) is { } forbidden) return forbidden;
        var organization = await db.Organizations.SingleOrDefaultAsync(o => o.Id == organizationId, ct);
        if (organization is null) return Failure.NotFound("Organization");
        var plan = await db.Plans.Include(p => p.Product).SingleOrDefaultAsync(p => p.Id == planId, ct);
        if (plan is null || !plan.Active || plan.CurrentVersionId is null || plan.Product!.Kind != ProductKind.UnitPack
            || plan.Product.Meter is null || plan.Product.UnitsPerPack is not > 0)
            return Failure.Invalid("PlanId", "Choose one of the unit packs on offer.");
        if (packs is < 1 or > MaxPacksPerOrder) return Failure.Invalid("Packs", $"Choose between 1 and {MaxPacksPerOrder} packs.");
        var version = await db.PlanVersions.AsNoTracking().SingleAsync(v => v.Id == plan.CurrentVersionId, ct);
        var price = version.PriceIn(organization.Currency);
        if (price is null) return Failure.Invalid("Currency", $"{plan.Name} has no price in {organization.Currency}, the currency {organization.Name} is billed in.");
        var (rate, note) = await db.TaxForAsync(organization.OperatorId, organization.Country, ct);
        var units = (long)packs * plan.Product.UnitsPerPack.Value;
        var perPack = price.ToPrice(PricingModel.Flat).For(1);
        var quote = new QuoteBuilder(organization.Currency, rate)
            .Add($"{plan.Name} × {packs} ({units} units)", packs, perPack, perPack * packs, null)
            .Build();
        return new Purchase(organizationId, OrderType.UnitPack, quote, packs, "packs",
            $"{packs} × {plan.Name}: {units} units", new Fulfilment { PlanId = plan.Id, PlanVersionId = plan.CurrentVersionId, Quantity = packs }, note);
    }

    public async Task<Result<Order>> PlaceAsync(Guid organizationId, Guid planId, int packs, bool acknowledged, CancellationToken ct = default)
    {
        var prepared = await PrepareUnitPackAsync(organizationId, planId, packs, ct);
        return prepared.Failed(out var failure) ? failure : await orders.PlaceAsync(prepared.Value, acknowledged, ct);
    }
}
