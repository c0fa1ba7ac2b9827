using System.Globalization;
using Accrue.Domain.Billing;
using Accrue.Domain.Common;
using Accrue.Domain.Subscriptions;
using Accrue.Web.Data;
using Accrue.Web.Features.Orders;
using Accrue.Web.Features.Shared;
using Accrue.Web.Features.Subscriptions;
using Microsoft.AspNetCore.Mvc;

namespace Accrue.Web.Features.Portal.Subscriptions;

/// <summary>Renews for 1–60 months, choosing the next term's seats (seeds 000, 002).</summary>
public sealed class RenewModel(AccrueDb db, SubscriptionCommands subscriptions, OrderCommands orders, CheckoutPayments checkout, PortalContext portal, TimeProvider clock)
    : PurchasePage(orders, checkout, portal, clock)
{
    [BindProperty(SupportsGet = true)]
    public Guid Id { get; set; }

    [BindProperty(SupportsGet = true)]
    public int Months { get; set; } = 12;

    [BindProperty(SupportsGet = true)]
    public List<SeatField> Seats { get; set; } = [];

    [BindProperty(SupportsGet = true)]
    public int? Quantity { get; set; }

    public SubscriptionView View { get; private set; } = null!;

    /// <summary>The fewest months the plan's minimum term lets this renewal (or trial activation) buy: the select offers no shorter term.</summary>
    public int FewestMonths
    {
        get
        {
            var s = View.Subscription;
            if (s.Status == SubscriptionStatus.Trial) return View.Plan.MinimumMonths(Today, Today);
            var (term, anchor) = Term.Renewal(s.Term, s.AnchorDay, Today, BillingPeriod.Month, 1);
            return View.Plan.MinimumMonths(s.ActivatedOn ?? term.Start, term.Start, anchor);
        }
    }

    protected override async Task<bool> LoadAsync()
    {
        if (await db.SubscriptionViewAsync(Organization.Id, Id) is not { } view) return false;
        View = view;
        // Next term's counts start at the last ones bought (a next term already chosen at an early renewal included).
        var latest = view.Subscription.LatestSeats;
        Seats = view.Plan.SeatTypes.OrderBy(t => t.SortOrder)
            .Select(t => new SeatField { SeatTypeId = t.Id, Count = Seats.FirstOrDefault(s => s.SeatTypeId == t.Id)?.Count ?? latest.Where(l => l.SeatTypeId == t.Id).Sum(l => l.Count) }).ToList();
        Quantity ??= view.Subscription.Quantity;
        return true;
    }

    protected override Task<Result<Purchase>> PrepareAsync() =>
        subscriptions.PrepareRenewAsync(Organization.Id, Id, new RenewRequest
        {
            Months = Months,
            Seats = Seats.Select(s => new SeatInput(s.SeatTypeId, s.CountOrZero)).ToList(),
            Quantity = View.Plan.HasSeatTypes || View.Plan.SoldPerUnit ? null : Quantity,
        });

    public override IEnumerable<KeyValuePair<string, string>> ChoiceFields()
    {
        yield return new(nameof(Months), Months.ToString(CultureInfo.InvariantCulture));
        for (var i = 0; i < Seats.Count; i++)
        {
            yield return new($"Seats[{i}].SeatTypeId", Seats[i].SeatTypeId.ToString());
            yield return new($"Seats[{i}].Count", Seats[i].CountOrZero.ToString(CultureInfo.InvariantCulture));
        }
        if (Quantity is { } quantity) yield return new(nameof(Quantity), quantity.ToString(CultureInfo.InvariantCulture));
    }
}
