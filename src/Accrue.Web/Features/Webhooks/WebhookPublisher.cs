using System.Text.Json;
using System.Text.Json.Serialization;
using Accrue.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace Accrue.Web.Features.Webhooks;

/// <summary>
/// Adds one delivery per interested endpoint to the caller's context. Nothing is sent until the
/// caller's SaveChanges commits (like the email outbox), so a rolled-back change never announces itself.
/// </summary>
public static class WebhookPublisher
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    public static async Task PublishWebhookAsync(this AccrueDb db, Guid organizationId, string eventType, object data, CancellationToken ct = default)
    {
        // The actor may be a member who can't see operator endpoints; the event still goes to them.
        var endpoints = await db.WebhookEndpoints.IgnoreQueryFilters().AsNoTracking()
            .Where(e => e.Enabled && (e.OrganizationId == organizationId
                || (e.OrganizationId == null && db.Organizations.Any(o => o.Id == organizationId && o.OperatorId == e.OperatorId))))
            .Select(e => new { e.Id, e.OrganizationId, e.EventTypes })
            .ToListAsync(ct);
        var receivers = endpoints.Where(e => e.EventTypes.Contains(eventType, StringComparer.Ordinal)).ToList();
        if (receivers.Count == 0) return;

        var now = db.GetService<TimeProvider>().GetUtcNow();
        var eventId = Guid.CreateVersion7();
        var payload = Payload(eventId, eventType, now, organizationId, data);
        foreach (var endpoint in receivers)
            db.WebhookDeliveries.Add(NewDelivery(endpoint.Id, endpoint.OrganizationId is null, eventId, eventType, organizationId, payload, now,
                db.GetService<Microsoft.Extensions.Options.IOptions<WebhookOptions>>().Value));
    }

    internal static string Payload(Guid eventId, string eventType, DateTimeOffset created, Guid organizationId, object data) =>
        JsonSerializer.Serialize(new WebhookPayload(eventId, eventType, created, organizationId, data), Json);

    internal static WebhookDelivery NewDelivery(Guid endpointId, bool toOperator, Guid eventId, string eventType, Guid organizationId,
        string payload, DateTimeOffset now, WebhookOptions options) => new()
        {
            EndpointId = endpointId,
            ToOperator = toOperator,
            EventId = eventId,
            EventType = eventType,
            OrganizationId = organizationId,
            Payload = payload,
            Status = WebhookDeliveryStatus.Pending,
            CreatedAt = now,
            NextAttemptAt = now,
            RetryUntil = now + options.RetryFor,
        };
}

/// <summary>The body of every webhook POST.</summary>
public sealed record WebhookPayload(Guid Id, string Type, DateTimeOffset Created, Guid OrganizationId, object Data);

/// <summary>Wakes the webhook dispatcher after a commit that added deliveries.</summary>
public sealed class WebhookSignal : Infrastructure.Jobs.WakeSignal
{
    public override bool IsQueuedBy(object row) => row is WebhookDelivery;
}

/// <summary>Configuration section "Webhooks".</summary>
public sealed class WebhookOptions
{
    public const string Section = "Webhooks";

    /// <summary>How often due deliveries are looked for when nothing wakes the dispatcher.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);
    /// <summary>How long a receiver has to answer one POST.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
    /// <summary>The wait after the first failure; it doubles after each further failure up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromMinutes(1);
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(6);
    /// <summary>After this long since the event, a failing delivery is given up (Failed); it can still be replayed by hand.</summary>
    public TimeSpan RetryFor { get; set; } = TimeSpan.FromDays(3);
    /// <summary>Deliveries claimed per round by one instance.</summary>
    public int BatchSize { get; set; } = 20;
    /// <summary>
    /// Lets endpoints target loopback, private, link-local, unique-local, CGNAT … addresses (at registration
    /// and at delivery). Off by default: a customer's endpoint must never reach the operator's own network.
    /// </summary>
    public bool AllowPrivateTargets { get; set; }
}
