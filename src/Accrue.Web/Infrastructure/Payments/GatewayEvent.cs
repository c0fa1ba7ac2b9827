namespace Accrue.Web.Infrastructure.Payments;

/// <summary>A gateway webhook event already handled: Stripe retries deliveries, and each is applied once.</summary>
public sealed class GatewayEvent
{
    public required string Gateway { get; set; }
    public required string EventId { get; set; }
    public required string Type { get; set; }
    public DateTimeOffset ReceivedAt { get; set; }
}
