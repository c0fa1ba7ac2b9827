using Accrue.Domain.Accounts;
using Accrue.Domain.Usage;
using Accrue.Web.Data;
using Accrue.Web.Features.Shared;
using Accrue.Web.Features.Usage;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Accrue.Web.Features.Portal.Units;

/// <summary>Unit balances per meter (seed 000: OCR, SMS, WhatsApp), the last 30 days' use and the latest balance changes.</summary>
public sealed class IndexModel(AccrueDb db, PortalContext portal, TimeProvider clock) : PageModel
{
    public IReadOnlyList<UnitBalanceView> Balances { get; private set; } = [];
    public IReadOnlyList<UnitEntry> Entries { get; private set; } = [];
    public bool CanBuy { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        var organization = await portal.OrganizationAsync();
        Balances = await db.UnitBalanceViewsAsync(organization.Id, organization.OperatorId, null, ct, clock.GetUtcNow());
        Entries = await db.RecentUnitEntriesAsync(organization.Id, 50, ct);
        CanBuy = await portal.CanAsync(Permissions.ManageAccount) && organization.Status == OrganizationStatus.Active;
    }
}
