using Accrue.Domain.Common;

namespace Accrue.Web.Data;

/// <summary>
/// Where events are POSTed. An endpoint with an organization receives that organization's events; one
/// without (the operator's) receives every organization's events and is never visible to members.
/// </summary>
public sealed class WebhookEndpoint : Entity
{
    public const int UrlMaxLength = 500;
    public const int DescriptionMaxLength = 200;

    public Guid OperatorId { get; set; }
    public Guid? OrganizationId { get; set; }
    public required string Url { get; set; }
    /// <summary>The HMAC key, <c>whsec_…</c>. Kept readable because the owner copies it from the endpoint page.</summary>
    public required string Secret { get; set; }
    public List<string> EventTypes { get; set; } = [];
    public bool Enabled { get; set; } = true;
    public string? Description { get; set; }

    public bool IsOperatorEndpoint => OrganizationId is null;
    public bool Receives(string eventType) => Enabled && EventTypes.Contains(eventType, StringComparer.Ordinal);
}

/// <summary>One event for one endpoint, retried until it succeeds or its retry window closes.</summary>
public sealed class WebhookDelivery : Entity, Infrastructure.Auditing.INotAudited
{
    public Guid EndpointId { get; init; }
    /// <summary>The event's id, the same for every endpoint that receives it and on every replay: receivers de-duplicate by it.</summary>
    public Guid EventId { get; init; }
    public required string EventType { get; init; }
    /// <summary>The organization the event is about.</summary>
    public Guid OrganizationId { get; init; }
    /// <summary>Delivered to an operator endpoint: the organization's members never see this row.</summary>
    public bool ToOperator { get; init; }
    public required string Payload { get; init; }
    public WebhookDeliveryStatus Status { get; set; }
    public int Attempts { get; set; }
    public DateTimeOffset NextAttemptAt { get; set; }
    /// <summary>No automatic retry is scheduled after this (3 days after the event, or the moment of a manual replay).</summary>
    public DateTimeOffset RetryUntil { get; set; }
    public DateTimeOffset? LockedUntil { get; set; }
    public int? LastStatusCode { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset? DeliveredAt { get; set; }
}

public enum WebhookDeliveryStatus { Pending, Succeeded, Failed }

/// <summary>One POST of a delivery: what the receiver answered, for the delivery log.</summary>
public sealed class WebhookAttempt : Infrastructure.Auditing.INotAudited
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid DeliveryId { get; init; }
    public Guid OrganizationId { get; init; }
    public bool ToOperator { get; init; }
    public DateTimeOffset At { get; init; }
    public int? StatusCode { get; init; }
    public string? Error { get; init; }
    public int DurationMs { get; init; }
}
