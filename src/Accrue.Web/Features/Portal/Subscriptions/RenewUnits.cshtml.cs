using System.Globalization;
using Accrue.Domain.Common;
using Accrue.Web.Data;
using Accrue.Web.Features.Orders;
using Accrue.Web.Features.Shared;
using Accrue.Web.Features.Subscriptions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Portal.Subscriptions;

/// <summary>Renews several units of a per-unit plan, or a whole department's, in one order (seed 002).</summary>
public sealed class RenewUnitsModel(AccrueDb db, SubscriptionCommands subscriptions, OrderCommands orders, CheckoutPayments checkout, PortalContext portal, TimeProvider clock)
    : PurchasePage(orders, checkout, portal, clock)
{
    [BindProperty(SupportsGet = true)]
    public List<Guid> SubscriptionIds { get; set; } = [];

    /// <summary>Adds every unit of <see cref="PlanId"/> held by a member of this department.</summary>
    [BindProperty(SupportsGet = true)]
    public Guid? DepartmentId { get; set; }

    [BindProperty(SupportsGet = true)]
    public Guid? PlanId { get; set; }

    [BindProperty(SupportsGet = true)]
    public int Months { get; set; } = 12;

    public IReadOnlyList<SubscriptionView> Units { get; private set; } = [];

    protected override async Task<bool> LoadAsync()
    {
        if (DepartmentId is { } department)
        {
            var inDepartment = await db.Subscriptions.AsNoTracking()
                .Where(s => s.OrganizationId == Organization.Id && s.MemberId != null && (PlanId == null || s.PlanId == PlanId)
                    && db.Members.Any(m => m.Id == s.MemberId && m.DepartmentId == department))
                .Select(s => s.Id).ToListAsync();
            SubscriptionIds = [.. SubscriptionIds.Union(inDepartment)];
            DepartmentId = null;
        }
        SubscriptionIds = [.. SubscriptionIds.Distinct()];
        var views = await db.SubscriptionViewsAsync(Organization.Id);
        Units = views.Where(v => SubscriptionIds.Contains(v.Subscription.Id)).ToList();
        return true;
    }

    protected override Task<Result<Purchase>> PrepareAsync() =>
        subscriptions.PrepareRenewUnitsAsync(Organization.Id, new RenewUnitsRequest { SubscriptionIds = SubscriptionIds, Months = Months });

    public override IEnumerable<KeyValuePair<string, string>> ChoiceFields()
    {
        yield return new(nameof(Months), Months.ToString(CultureInfo.InvariantCulture));
        foreach (var id in SubscriptionIds) yield return new(nameof(SubscriptionIds), id.ToString());
    }
}
