using Accrue.Domain.Common;

namespace Accrue.Domain.Orders;

/// <summary>
/// The organization's saved card (seed 004, Settings): the gateway's token and what the customer may
/// see of the card (brand, last four, expiry). Never the number (DESIGN §3, cards). One per organization.
/// </summary>
public sealed class CardOnFile : Entity, IOrganizationOwned
{
    public Guid OrganizationId { get; set; }
    public required string Gateway { get; set; }
    public required string Token { get; set; }
    public required string Brand { get; set; }
    public required string Last4 { get; set; }
    public int ExpiryMonth { get; set; }
    public int ExpiryYear { get; set; }

    public bool IsExpired(DateOnly today) => ExpiryYear < today.Year || (ExpiryYear == today.Year && ExpiryMonth < today.Month);

    public override string ToString() => $"{Brand} ending {Last4}";
}
