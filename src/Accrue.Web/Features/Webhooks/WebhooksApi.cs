using Accrue.Web.Data;
using Accrue.Web.Features.Api;
using Accrue.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Accrue.Web.Features.Webhooks;

/// <summary>An endpoint as its owner sees it, secret included (it signs every delivery; rotate it if it leaks).</summary>
public sealed record WebhookEndpointResponse(
    Guid Id,
    Guid? OrganizationId,
    string Url,
    string Secret,
    IReadOnlyList<string> EventTypes,
    bool Enabled,
    string? Description,
    DateTimeOffset CreatedAt)
{
    public static WebhookEndpointResponse From(WebhookEndpoint e) =>
        new(e.Id, e.OrganizationId, e.Url, e.Secret, e.EventTypes, e.Enabled, e.Description, e.CreatedAt);
}

/// <summary>One POST: the status code the receiver answered and, when it failed, the error class (<c>timeout</c>, <c>connection_refused</c>, <c>tls_error</c>, <c>dns_error</c>, <c>blocked_address</c>, <c>http_status</c>, <c>connection_error</c>).</summary>
public sealed record WebhookAttemptResponse(DateTimeOffset At, int? StatusCode, string? Error, int DurationMs)
{
    public static WebhookAttemptResponse From(WebhookAttempt a) => new(a.At, a.StatusCode, WebhookErrors.Public(a.Error, a.StatusCode), a.DurationMs);
}

/// <summary>One event for one endpoint: the JSON body sent (<c>payload</c>), where it stands, and every attempt.</summary>
public sealed record WebhookDeliveryResponse(
    Guid Id,
    Guid EventId,
    string EventType,
    Guid OrganizationId,
    WebhookDeliveryStatus Status,
    int Attempts,
    DateTimeOffset? NextAttemptAt,
    int? LastStatusCode,
    string? LastError,
    DateTimeOffset? DeliveredAt,
    DateTimeOffset CreatedAt,
    string Payload,
    IReadOnlyList<WebhookAttemptResponse> AttemptLog)
{
    public static WebhookDeliveryResponse From(WebhookDelivery d, IEnumerable<WebhookAttempt> attempts) =>
        new(d.Id, d.EventId, d.EventType, d.OrganizationId, d.Status, d.Attempts,
            d.Status == WebhookDeliveryStatus.Pending ? d.NextAttemptAt : null,
            d.LastStatusCode, WebhookErrors.Public(d.LastError, d.LastStatusCode), d.DeliveredAt, d.CreatedAt, d.Payload,
            attempts.Where(a => a.DeliveryId == d.Id).Select(WebhookAttemptResponse.From).ToList());
}

/// <summary>
/// /api/v1/organizations/{orgId}/webhooks (the organization's endpoints) and /api/v1/webhooks (the
/// operator's, which receive every organization's events; operator keys only), through <see cref="WebhookCommands"/>.
/// </summary>
public static class WebhooksApi
{
    public static RouteGroupBuilder MapWebhooksApi(this RouteGroupBuilder api)
    {
        var org = api.MapGroup("/organizations/{orgId:guid}/webhooks").WithTags("Webhooks");
        org.MapGet("/", (Guid orgId, WebhookCommands c, CancellationToken ct, int? limit, string? cursor) => ListAsync(orgId, c, limit, cursor, ct))
            .WithName("ListWebhookEndpoints").WithSummary("The organization's webhook endpoints.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        org.MapPost("/", (Guid orgId, WebhookEndpointInput input, WebhookCommands c, CancellationToken ct) => CreateAsync(orgId, input, c, ct))
            .WithName("CreateWebhookEndpoint").WithSummary("Registers an endpoint for some event types; the answer holds its signing secret.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        org.MapGet("/{id:guid}", (Guid orgId, Guid id, WebhookCommands c, CancellationToken ct) => GetAsync(orgId, id, c, ct))
            .WithName("GetWebhookEndpoint").WithSummary("One of the organization's webhook endpoints (its secret is not shown again).")
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        org.MapPut("/{id:guid}", (Guid orgId, Guid id, WebhookEndpointInput input, WebhookCommands c, CancellationToken ct) => UpdateAsync(orgId, id, input, c, ct))
            .WithName("UpdateWebhookEndpoint").WithSummary("Changes the URL, event types, description or enabled state.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        org.MapDelete("/{id:guid}", (Guid orgId, Guid id, WebhookCommands c, CancellationToken ct) => DeleteAsync(orgId, id, c, ct))
            .WithName("DeleteWebhookEndpoint").WithSummary("Deletes the endpoint and its delivery log.")
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        org.MapPost("/{id:guid}/rotate-secret", (Guid orgId, Guid id, WebhookCommands c, CancellationToken ct) => RotateAsync(orgId, id, c, ct))
            .WithName("RotateWebhookSecret").WithSummary("Replaces the signing secret; the old one stops verifying at once.")
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        org.MapPost("/{id:guid}/test", (Guid orgId, Guid id, WebhookCommands c, CancellationToken ct) => TestAsync(orgId, id, c, ct))
            .WithName("SendWebhookTestEvent").WithSummary("Queues a webhook.test event for this endpoint only (one attempt, no retries).")
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        org.MapGet("/{id:guid}/deliveries", (Guid orgId, Guid id, WebhookCommands c, CancellationToken ct, int? limit, string? cursor) => DeliveriesAsync(orgId, id, c, limit, cursor, ct))
            .WithName("ListWebhookDeliveries").WithSummary("The endpoint's deliveries, oldest first, each with its attempts.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        org.MapPost("/{id:guid}/deliveries/{deliveryId:guid}/replay", (Guid orgId, Guid id, Guid deliveryId, WebhookCommands c, CancellationToken ct) => ReplayAsync(orgId, id, deliveryId, c, ct))
            .WithName("ReplayWebhookDelivery").WithSummary("Sends a delivery again now, whatever its status (one attempt, no automatic retries).")
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);

        var op = api.MapGroup("/webhooks").WithTags("Webhooks");
        op.MapGet("/", (WebhookCommands c, CancellationToken ct, int? limit, string? cursor) => ListAsync(null, c, limit, cursor, ct))
            .WithName("ListOperatorWebhookEndpoints").WithSummary("The operator's webhook endpoints, which receive every organization's events (operator keys only).")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden);
        op.MapPost("/", (WebhookEndpointInput input, WebhookCommands c, CancellationToken ct) => CreateAsync(null, input, c, ct))
            .WithName("CreateOperatorWebhookEndpoint").WithSummary("Registers an operator endpoint for some event types of every organization.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden);
        op.MapGet("/{id:guid}", (Guid id, WebhookCommands c, CancellationToken ct) => GetAsync(null, id, c, ct))
            .WithName("GetOperatorWebhookEndpoint").WithSummary("One operator webhook endpoint (operator keys only).")
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        op.MapPut("/{id:guid}", (Guid id, WebhookEndpointInput input, WebhookCommands c, CancellationToken ct) => UpdateAsync(null, id, input, c, ct))
            .WithName("UpdateOperatorWebhookEndpoint").WithSummary("Changes an operator endpoint's URL, event types, description or enabled state.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        op.MapDelete("/{id:guid}", (Guid id, WebhookCommands c, CancellationToken ct) => DeleteAsync(null, id, c, ct))
            .WithName("DeleteOperatorWebhookEndpoint").WithSummary("Deletes an operator endpoint and its delivery log.")
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        op.MapPost("/{id:guid}/rotate-secret", (Guid id, WebhookCommands c, CancellationToken ct) => RotateAsync(null, id, c, ct))
            .WithName("RotateOperatorWebhookSecret").WithSummary("Replaces an operator endpoint's signing secret; the old one stops verifying at once.")
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        op.MapPost("/{id:guid}/test", (Guid id, WebhookCommands c, CancellationToken ct) => TestAsync(null, id, c, ct))
            .WithName("SendOperatorWebhookTestEvent").WithSummary("Queues a webhook.test event for this operator endpoint only (one attempt, no retries).")
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        op.MapGet("/{id:guid}/deliveries", (Guid id, WebhookCommands c, CancellationToken ct, int? limit, string? cursor) => DeliveriesAsync(null, id, c, limit, cursor, ct))
            .WithName("ListOperatorWebhookDeliveries").WithSummary("An operator endpoint's deliveries, oldest first, each with its attempts.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        op.MapPost("/{id:guid}/deliveries/{deliveryId:guid}/replay", (Guid id, Guid deliveryId, WebhookCommands c, CancellationToken ct) => ReplayAsync(null, id, deliveryId, c, ct))
            .WithName("ReplayOperatorWebhookDelivery").WithSummary("Sends an operator endpoint's delivery again now, whatever its status (one attempt, no automatic retries).")
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    private static async Task<Results<Ok<Page<WebhookEndpointResponse>>, ProblemHttpResult>> ListAsync(
        Guid? orgId, WebhookCommands webhooks, int? limit, string? cursor, CancellationToken ct)
    {
        var page = Paging.Parse(limit, cursor);
        if (page.Failed(out var invalid)) return invalid.ToProblem();
        if (await webhooks.CheckAccessAsync(orgId, ct) is { } failure) return failure.ToProblem();
        return TypedResults.Ok(await webhooks.Endpoints(orgId).PageAsync(page.Value, WebhookEndpointResponse.From, ct));
    }

    private static async Task<Results<Created<WebhookEndpointResponse>, ProblemHttpResult>> CreateAsync(
        Guid? orgId, WebhookEndpointInput input, WebhookCommands webhooks, CancellationToken ct)
    {
        var result = await webhooks.CreateAsync(orgId, input, ct);
        if (result.Failed(out var failure)) return failure.ToProblem();
        var response = WebhookEndpointResponse.From(result.Value);
        return TypedResults.Created($"{Base(orgId)}/{response.Id}", response);
    }

    private static async Task<Results<Ok<WebhookEndpointResponse>, ProblemHttpResult>> GetAsync(Guid? orgId, Guid id, WebhookCommands webhooks, CancellationToken ct) =>
        Answer(await webhooks.FindAsync(orgId, id, ct));

    private static async Task<Results<Ok<WebhookEndpointResponse>, ProblemHttpResult>> UpdateAsync(
        Guid? orgId, Guid id, WebhookEndpointInput input, WebhookCommands webhooks, CancellationToken ct) =>
        Answer(await webhooks.UpdateAsync(orgId, id, input, ct));

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(Guid? orgId, Guid id, WebhookCommands webhooks, CancellationToken ct)
    {
        var result = await webhooks.DeleteAsync(orgId, id, ct);
        return result.Failed(out var failure) ? failure.ToProblem() : TypedResults.NoContent();
    }

    private static async Task<Results<Ok<WebhookEndpointResponse>, ProblemHttpResult>> RotateAsync(Guid? orgId, Guid id, WebhookCommands webhooks, CancellationToken ct) =>
        Answer(await webhooks.RotateSecretAsync(orgId, id, ct));

    private static async Task<Results<Accepted<WebhookDeliveryResponse>, ProblemHttpResult>> TestAsync(Guid? orgId, Guid id, WebhookCommands webhooks, CancellationToken ct)
    {
        var result = await webhooks.SendTestAsync(orgId, id, ct);
        if (result.Failed(out var failure)) return failure.ToProblem();
        return TypedResults.Accepted($"{Base(orgId)}/{id}/deliveries", WebhookDeliveryResponse.From(result.Value, []));
    }

    private static async Task<Results<Ok<Page<WebhookDeliveryResponse>>, ProblemHttpResult>> DeliveriesAsync(
        Guid? orgId, Guid id, WebhookCommands webhooks, int? limit, string? cursor, CancellationToken ct)
    {
        var page = Paging.Parse(limit, cursor);
        if (page.Failed(out var invalid)) return invalid.ToProblem();
        var found = await webhooks.FindAsync(orgId, id, ct);
        if (found.Failed(out var failure)) return failure.ToProblem();
        var deliveries = await webhooks.Deliveries(id).PageAsync(page.Value, d => d, ct);
        var attempts = await webhooks.AttemptsAsync(deliveries.Items.Select(d => d.Id).ToList(), ct);
        return TypedResults.Ok(new Page<WebhookDeliveryResponse>(deliveries.Items.Select(d => WebhookDeliveryResponse.From(d, attempts)).ToList(), deliveries.NextCursor));
    }

    private static async Task<Results<Accepted<WebhookDeliveryResponse>, ProblemHttpResult>> ReplayAsync(
        Guid? orgId, Guid id, Guid deliveryId, WebhookCommands webhooks, CancellationToken ct)
    {
        var result = await webhooks.ReplayAsync(orgId, id, deliveryId, ct);
        if (result.Failed(out var failure)) return failure.ToProblem();
        var attempts = await webhooks.AttemptsAsync([deliveryId], ct);
        return TypedResults.Accepted($"{Base(orgId)}/{id}/deliveries", WebhookDeliveryResponse.From(result.Value, attempts));
    }

    private static Results<Ok<WebhookEndpointResponse>, ProblemHttpResult> Answer(Accrue.Domain.Common.Result<WebhookEndpoint> result) =>
        result.Failed(out var failure) ? failure.ToProblem() : TypedResults.Ok(WebhookEndpointResponse.From(result.Value));

    private static string Base(Guid? orgId) => orgId is { } id ? $"{ApiSetup.Prefix}/organizations/{id}/webhooks" : $"{ApiSetup.Prefix}/webhooks";
}
