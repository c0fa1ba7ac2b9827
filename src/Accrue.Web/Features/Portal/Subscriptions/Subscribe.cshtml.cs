using System.Globalization;
using Accrue.Domain.Accounts;
using Accrue.Domain.Catalog;
using Accrue.Domain.Common;
using Accrue.Web.Data;
using Accrue.Web.Features.Orders;
using Accrue.Web.Features.Shared;
using Accrue.Web.Features.Subscriptions;
using Accrue.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Portal.Subscriptions;

/// <summary>
/// Subscribes to a plan on offer: seats per seat type, a quantity, or — for a plan sold per unit —
/// the units (apartments by name, office users by member or a whole department) in one order (seed 002).
/// </summary>
public sealed class SubscribeModel(AccrueDb db, SubscriptionCommands subscriptions, OrderCommands orders, CheckoutPayments checkout, PortalContext portal, TimeProvider clock)
    : PurchasePage(orders, checkout, portal, clock)
{
    [BindProperty(SupportsGet = true)]
    public Guid PlanId { get; set; }

    [BindProperty(SupportsGet = true)]
    public int Months { get; set; } = 12;

    [BindProperty(SupportsGet = true)]
    public List<SeatField> Seats { get; set; } = [];

    [BindProperty(SupportsGet = true)]
    public int Quantity { get; set; } = 1;

    /// <summary>Unit names, one per line (apartments, devices).</summary>
    [BindProperty(SupportsGet = true)]
    public string? UnitLabels { get; set; }

    [BindProperty(SupportsGet = true)]
    public List<Guid> MemberIds { get; set; } = [];

    [BindProperty(SupportsGet = true)]
    public Guid? DepartmentId { get; set; }

    public PlanOffer Offer { get; private set; } = null!;
    public IReadOnlyList<Member> Members { get; private set; } = [];
    public IReadOnlyList<Department> Departments { get; private set; } = [];

    protected override async Task<bool> LoadAsync()
    {
        var offers = await db.PlanOffersAsync(Organization.Currency, [ProductKind.Service], [PlanId]);
        if (offers.Count == 0) return false;
        Offer = offers[0];
        Seats = Offer.Plan.SeatTypes.OrderBy(t => t.SortOrder)
            .Select(t => new SeatField { SeatTypeId = t.Id, Count = Seats.FirstOrDefault(s => s.SeatTypeId == t.Id)?.Count }).ToList();
        if (Offer.Plan.SoldPerUnit)
        {
            Members = await db.Members.AsNoTracking().Include(m => m.Department).Where(m => m.OrganizationId == Organization.Id).OrderBy(m => m.Name).ToListAsync();
            Departments = await db.Departments.AsNoTracking().Where(d => d.OrganizationId == Organization.Id).OrderBy(d => d.Name).ToListAsync();
            // A whole department becomes its members, so the review and the order name each of them.
            if (DepartmentId is { } department)
            {
                MemberIds = [.. MemberIds.Union(Members.Where(m => m.DepartmentId == department).Select(m => m.Id))];
                DepartmentId = null;
            }
        }
        return true;
    }

    protected override Task<Result<Purchase>> PrepareAsync() => subscriptions.PrepareSubscribeAsync(Organization.Id, ToRequest());

    public async Task<IActionResult> OnPostTrialAsync()
    {
        Organization = await Portal.OrganizationAsync();
        if (!await LoadAsync()) return NotFound();
        var started = await subscriptions.StartTrialAsync(Organization.Id, ToRequest() with { Trial = true });
        if (started.Failed(out var failure))
        {
            failure.AddTo(ModelState, "");
            Review = false;
            return Page();
        }
        TempData["Flash"] = $"Your {Offer.Plan.TrialDays}-day free trial of {Offer.Plan.Name} has started.";
        return Redirect("/portal/subscriptions");
    }

    private SubscribeRequest ToRequest() => new()
    {
        PlanId = PlanId,
        Months = Months,
        Seats = Seats.Where(s => s.CountOrZero != 0).Select(s => new SeatInput(s.SeatTypeId, s.CountOrZero)).ToList(),
        Quantity = Quantity,
        Units = [
            .. (UnitLabels ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(l => new UnitInput(l, null)),
            .. MemberIds.Distinct().Select(id => new UnitInput(null, id)),
        ],
    };

    public override IEnumerable<KeyValuePair<string, string>> ChoiceFields()
    {
        yield return new(nameof(Months), Months.ToString(CultureInfo.InvariantCulture));
        for (var i = 0; i < Seats.Count; i++)
        {
            yield return new($"Seats[{i}].SeatTypeId", Seats[i].SeatTypeId.ToString());
            yield return new($"Seats[{i}].Count", Seats[i].CountOrZero.ToString(CultureInfo.InvariantCulture));
        }
        yield return new(nameof(Quantity), Quantity.ToString(CultureInfo.InvariantCulture));
        if (!string.IsNullOrWhiteSpace(UnitLabels)) yield return new(nameof(UnitLabels), UnitLabels);
        foreach (var id in MemberIds) yield return new(nameof(MemberIds), id.ToString());
    }
}
