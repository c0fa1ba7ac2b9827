using Accrue.Domain.Catalog;
using Accrue.Domain.Common;
using Accrue.Web.Data;
using Accrue.Web.Features.Orders;
using Accrue.Web.Features.Shared;
using Accrue.Web.Features.Subscriptions;
using Microsoft.AspNetCore.Mvc;

namespace Accrue.Web.Features.Portal.Subscriptions;

/// <summary>Upgrade or downgrade to the plan's allowed targets; seats carry over by seat type.</summary>
public sealed class ChangePlanModel(AccrueDb db, SubscriptionCommands subscriptions, OrderCommands orders, CheckoutPayments checkout, PortalContext portal, TimeProvider clock)
    : PurchasePage(orders, checkout, portal, clock)
{
    [BindProperty(SupportsGet = true)]
    public Guid Id { get; set; }

    [BindProperty(SupportsGet = true)]
    public Guid PlanId { get; set; }

    public SubscriptionView View { get; private set; } = null!;
    public IReadOnlyList<PlanOffer> Targets { get; private set; } = [];

    protected override async Task<bool> LoadAsync()
    {
        if (await db.SubscriptionViewAsync(Organization.Id, Id) is not { } view) return false;
        View = view;
        Targets = await db.PlanOffersAsync(Organization.Currency, [ProductKind.Service, ProductKind.PhysicalGood, ProductKind.AddOn], view.Plan.ChangeTargetIds);
        return true;
    }

    protected override Task<Result<Purchase>> PrepareAsync() =>
        subscriptions.PrepareChangePlanAsync(Organization.Id, Id, new ChangePlanRequest { PlanId = PlanId });

    public override IEnumerable<KeyValuePair<string, string>> ChoiceFields()
    {
        yield return new(nameof(PlanId), PlanId.ToString());
    }
}
