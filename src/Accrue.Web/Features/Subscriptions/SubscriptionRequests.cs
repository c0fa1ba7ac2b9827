using Accrue.Web.Features.Orders;

namespace Accrue.Web.Features.Subscriptions;

/// <summary>A seat count for one seat type of the plan.</summary>
public sealed record SeatInput(Guid SeatTypeId, int Count);

public sealed record SubscribeRequest
{
    public Guid PlanId { get; init; }
    public List<SeatInput> Seats { get; init; } = [];
    /// <summary>Units for quantity-priced plans; ignored for seat-type plans and per-unit plans.</summary>
    public int Quantity { get; init; } = 1;
    public int Months { get; init; } = 12;
    /// <summary>Start the plan's free trial instead of buying a term.</summary>
    public bool Trial { get; init; }
    /// <summary>For plans sold per unit: one subscription per apartment, device or office user.</summary>
    public List<UnitInput> Units { get; init; } = [];
    public bool Acknowledged { get; init; }
}

public sealed record RenewRequest
{
    public int Months { get; init; } = 12;
    /// <summary>The next term's seat counts; empty keeps the current counts.</summary>
    public List<SeatInput> Seats { get; init; } = [];
    public int? Quantity { get; init; }
    public bool Acknowledged { get; init; }
}

/// <summary>Renews several per-unit subscriptions in one order (seed 002).</summary>
public sealed record RenewUnitsRequest
{
    public List<Guid> SubscriptionIds { get; init; } = [];
    public int Months { get; init; } = 12;
    public bool Acknowledged { get; init; }
}

public sealed record AddSeatsRequest
{
    public List<SeatInput> Seats { get; init; } = [];
    /// <summary>Units to add on a plan without seat types.</summary>
    public int Quantity { get; init; }
    public bool Acknowledged { get; init; }
}

public sealed record AddOnRequest
{
    public Guid PlanId { get; init; }
    public bool Acknowledged { get; init; }
}

public sealed record ChangePlanRequest
{
    public Guid PlanId { get; init; }
    /// <summary>Seat counts on the new plan; empty carries the current counts over by seat type code.</summary>
    public List<SeatInput> Seats { get; init; } = [];
    public int? Quantity { get; init; }
    public bool Acknowledged { get; init; }
}
