using System.Globalization;
using Accrue.Domain.Common;
using Accrue.Web.Data;
using Accrue.Web.Features.Orders;
using Accrue.Web.Features.Shared;
using Accrue.Web.Features.Subscriptions;
using Microsoft.AspNetCore.Mvc;

namespace Accrue.Web.Features.Portal.Subscriptions;

/// <summary>Seats added mid-term, coterminous and prorated (seed 003).</summary>
public sealed class AddSeatsModel(AccrueDb db, SubscriptionCommands subscriptions, OrderCommands orders, CheckoutPayments checkout, PortalContext portal, TimeProvider clock)
    : PurchasePage(orders, checkout, portal, clock)
{
    [BindProperty(SupportsGet = true)]
    public Guid Id { get; set; }

    [BindProperty(SupportsGet = true)]
    public List<SeatField> Seats { get; set; } = [];

    [BindProperty(SupportsGet = true)]
    public int? Quantity { get; set; }

    public SubscriptionView View { get; private set; } = null!;

    protected override async Task<bool> LoadAsync()
    {
        if (await db.SubscriptionViewAsync(Organization.Id, Id) is not { } view) return false;
        View = view;
        // Every seat type gets a row, starting empty.
        Seats = view.Plan.SeatTypes.OrderBy(t => t.SortOrder)
            .Select(t => new SeatField { SeatTypeId = t.Id, Count = Seats.FirstOrDefault(s => s.SeatTypeId == t.Id)?.Count }).ToList();
        return true;
    }

    protected override Task<Result<Purchase>> PrepareAsync() =>
        subscriptions.PrepareAddSeatsAsync(Organization.Id, Id, new AddSeatsRequest
        {
            Seats = Seats.Where(s => s.CountOrZero != 0).Select(s => new SeatInput(s.SeatTypeId, s.CountOrZero)).ToList(),
            Quantity = Quantity ?? 0,
        });

    public override IEnumerable<KeyValuePair<string, string>> ChoiceFields()
    {
        for (var i = 0; i < Seats.Count; i++)
        {
            yield return new($"Seats[{i}].SeatTypeId", Seats[i].SeatTypeId.ToString());
            yield return new($"Seats[{i}].Count", Seats[i].CountOrZero.ToString(CultureInfo.InvariantCulture));
        }
        if (!View.Plan.HasSeatTypes) yield return new(nameof(Quantity), (Quantity ?? 0).ToString(CultureInfo.InvariantCulture));
    }
}
