using Accrue.Domain.Catalog;
using Accrue.Domain.Common;
using Accrue.Domain.Subscriptions;
using Accrue.Web.Data;
using Accrue.Web.Features.Orders;
using Accrue.Web.Features.Shared;
using Accrue.Web.Features.Subscriptions;
using Microsoft.AspNetCore.Mvc;

namespace Accrue.Web.Features.Portal.Subscriptions;

/// <summary>An additional app for the rest of the term, prorated (seed 002).</summary>
public sealed class AddAppModel(AccrueDb db, SubscriptionCommands subscriptions, OrderCommands orders, CheckoutPayments checkout, PortalContext portal, TimeProvider clock)
    : PurchasePage(orders, checkout, portal, clock)
{
    [BindProperty(SupportsGet = true)]
    public Guid Id { get; set; }

    [BindProperty(SupportsGet = true)]
    public Guid PlanId { get; set; }

    public SubscriptionView View { get; private set; } = null!;
    public IReadOnlyList<PlanOffer> Apps { get; private set; } = [];

    protected override async Task<bool> LoadAsync()
    {
        if (await db.SubscriptionViewAsync(Organization.Id, Id) is not { } view) return false;
        View = view;
        var owned = view.Subscription.Items.Where(i => i.Kind == ItemKind.AddOn).Select(i => i.PlanId).ToHashSet();
        Apps = (await db.PlanOffersAsync(Organization.Currency, [ProductKind.AddOn])).Where(o => !owned.Contains(o.Plan.Id)).ToList();
        return true;
    }

    protected override Task<Result<Purchase>> PrepareAsync() =>
        subscriptions.PrepareAddOnAsync(Organization.Id, Id, new AddOnRequest { PlanId = PlanId });

    public override IEnumerable<KeyValuePair<string, string>> ChoiceFields()
    {
        yield return new(nameof(PlanId), PlanId.ToString());
    }
}
