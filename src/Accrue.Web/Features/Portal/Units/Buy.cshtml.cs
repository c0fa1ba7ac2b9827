using Accrue.Domain.Catalog;
using Accrue.Domain.Common;
using Accrue.Web.Data;
using Accrue.Web.Features.Orders;
using Accrue.Web.Features.Portal.Subscriptions;
using Accrue.Web.Features.Shared;
using Accrue.Web.Features.Usage;
using Microsoft.AspNetCore.Mvc;

namespace Accrue.Web.Features.Portal.Units;

/// <summary>Buys unit packs by card: choose a pack and how many, review the quote with tax, confirm and pay.</summary>
public sealed class BuyModel(AccrueDb db, UnitCommands units, OrderCommands orders, CheckoutPayments checkout, PortalContext portal, TimeProvider clock)
    : PurchasePage(orders, checkout, portal, clock)
{
    [BindProperty(SupportsGet = true)]
    public Guid PlanId { get; set; }

    [BindProperty(SupportsGet = true)]
    public int Packs { get; set; } = 1;

    public IReadOnlyList<PlanOffer> Packages { get; private set; } = [];

    protected override async Task<bool> LoadAsync()
    {
        Packages = await db.PlanOffersAsync(Organization.Currency, [ProductKind.UnitPack]);
        if (PlanId == Guid.Empty && Packages.Count > 0 && !Review) PlanId = Packages[0].Plan.Id;
        return true;
    }

    protected override Task<Result<Purchase>> PrepareAsync() => units.PrepareUnitPackAsync(Organization.Id, PlanId, Packs);

    public override IEnumerable<KeyValuePair<string, string>> ChoiceFields()
    {
        yield return new(nameof(PlanId), PlanId.ToString());
        yield return new(nameof(Packs), Packs.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
