using Accrue.Domain.Catalog;
using Accrue.Web.Data;
using Accrue.Web.Features.Shared;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Accrue.Web.Features.Portal.Subscriptions;

/// <summary>The plans on offer in the organization's currency: the "Subscribe" entry point.</summary>
public sealed class PlansModel(AccrueDb db, PortalContext portal) : PageModel
{
    public IReadOnlyList<PlanOffer> Offers { get; private set; } = [];
    public bool CanBuy { get; private set; }

    public async Task OnGetAsync()
    {
        var organization = await portal.OrganizationAsync();
        CanBuy = await portal.CanAsync(Domain.Accounts.Permissions.ManageAccount);
        Offers = await db.PlanOffersAsync(organization.Currency, [ProductKind.Service]);
    }
}
