using System.Security.Cryptography;
using Accrue.Domain.Accounts;
using Accrue.Domain.Common;
using Accrue.Web.Data;
using Accrue.Web.Infrastructure.Net;
using Accrue.Web.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Accrue.Web.Features.Webhooks;

/// <summary>What an endpoint form or API request sends.</summary>
public sealed record WebhookEndpointInput(string? Url, IReadOnlyList<string>? EventTypes, string? Description, bool Enabled = true);

/// <summary>
/// The webhook use cases: endpoints of an organization (its Owner and Manage-account members, its API
/// keys, staff) or of the operator (operator staff and keys only), replays and test events. Pages and
/// the API call these; the tenant filter makes another organization's rows not found.
/// </summary>
public sealed class WebhookCommands(AccrueDb db, IOptions<WebhookOptions> options, TimeProvider clock)
{
    /// <summary>The endpoints of an organization, or the operator's when <paramref name="organizationId"/> is null.</summary>
    public IQueryable<WebhookEndpoint> Endpoints(Guid? organizationId) =>
        db.WebhookEndpoints.Where(e => e.OrganizationId == organizationId);

    public async Task<Failure?> CheckAccessAsync(Guid? organizationId, CancellationToken ct)
    {
        if (organizationId is null)
            return db.Actor.IsOperator ? null : Failure.Forbidden("Only the operator's staff manage the operator's webhook endpoints.");
        if (!await db.Organizations.AnyAsync(o => o.Id == organizationId, ct)) return Failure.NotFound("Organization");
        if (!await db.ActorCanAsync(Permissions.ManageAccount, ct))
            return Failure.Forbidden("Only the Owner and members with the Manage account permission manage webhooks.");
        return null;
    }

    public async Task<Result<WebhookEndpoint>> FindAsync(Guid? organizationId, Guid id, CancellationToken ct)
    {
        if (await CheckAccessAsync(organizationId, ct) is { } failure) return failure;
        var endpoint = await Endpoints(organizationId).SingleOrDefaultAsync(e => e.Id == id, ct);
        return endpoint is null ? Failure.NotFound("Webhook endpoint") : endpoint;
    }

    public async Task<Result<WebhookEndpoint>> CreateAsync(Guid? organizationId, WebhookEndpointInput input, CancellationToken ct)
    {
        if (await CheckAccessAsync(organizationId, ct) is { } failure) return failure;
        if (Validate(input, options.Value.AllowPrivateTargets) is { } invalid) return invalid;
        var operatorId = organizationId is { } orgId
            ? await db.Organizations.Where(o => o.Id == orgId).Select(o => o.OperatorId).SingleAsync(ct)
            : await db.Operators.Select(o => o.Id).FirstAsync(ct);
        var endpoint = new WebhookEndpoint
        {
            OperatorId = operatorId,
            OrganizationId = organizationId,
            Url = input.Url!.Trim(),
            Secret = NewSecret(),
            EventTypes = Normalize(input.EventTypes),
            Description = Clean(input.Description),
            Enabled = input.Enabled,
        };
        db.WebhookEndpoints.Add(endpoint);
        await db.SaveChangesAsync(ct);
        return endpoint;
    }

    public async Task<Result<WebhookEndpoint>> UpdateAsync(Guid? organizationId, Guid id, WebhookEndpointInput input, CancellationToken ct)
    {
        var found = await FindAsync(organizationId, id, ct);
        if (found.Failed(out var failure)) return failure;
        if (Validate(input, options.Value.AllowPrivateTargets) is { } invalid) return invalid;
        var endpoint = found.Value;
        endpoint.Url = input.Url!.Trim();
        endpoint.EventTypes = Normalize(input.EventTypes);
        endpoint.Description = Clean(input.Description);
        endpoint.Enabled = input.Enabled;
        await db.SaveChangesAsync(ct);
        return endpoint;
    }

    public async Task<Result<WebhookEndpoint>> SetEnabledAsync(Guid? organizationId, Guid id, bool enabled, CancellationToken ct)
    {
        var found = await FindAsync(organizationId, id, ct);
        if (found.Failed(out var failure)) return failure;
        found.Value.Enabled = enabled;
        await db.SaveChangesAsync(ct);
        return found.Value;
    }

    /// <summary>A new secret takes effect for the next attempt; the old one stops verifying at once.</summary>
    public async Task<Result<WebhookEndpoint>> RotateSecretAsync(Guid? organizationId, Guid id, CancellationToken ct)
    {
        var found = await FindAsync(organizationId, id, ct);
        if (found.Failed(out var failure)) return failure;
        found.Value.Secret = NewSecret();
        await db.SaveChangesAsync(ct);
        return found.Value;
    }

    /// <summary>Deletes the endpoint with its delivery log.</summary>
    public async Task<Result<WebhookEndpoint>> DeleteAsync(Guid? organizationId, Guid id, CancellationToken ct)
    {
        var found = await FindAsync(organizationId, id, ct);
        if (found.Failed(out var failure)) return failure;
        await db.WebhookAttempts.Where(a => db.WebhookDeliveries.Any(d => d.Id == a.DeliveryId && d.EndpointId == id)).ExecuteDeleteAsync(ct);
        await db.WebhookDeliveries.Where(d => d.EndpointId == id).ExecuteDeleteAsync(ct);
        db.WebhookEndpoints.Remove(found.Value);
        await db.SaveChangesAsync(ct);
        return found.Value;
    }

    /// <summary>An endpoint's deliveries, newest first; call <see cref="FindAsync"/> first to check access.</summary>
    public IQueryable<WebhookDelivery> Deliveries(Guid endpointId) =>
        db.WebhookDeliveries.AsNoTracking().Where(d => d.EndpointId == endpointId);

    public Task<List<WebhookAttempt>> AttemptsAsync(IReadOnlyCollection<Guid> deliveryIds, CancellationToken ct) =>
        db.WebhookAttempts.AsNoTracking().Where(a => deliveryIds.Contains(a.DeliveryId)).OrderBy(a => a.At).ToListAsync(ct);

    /// <summary>Sends a delivery again at once, whatever its status; with no automatic retry if this attempt fails too.</summary>
    public async Task<Result<WebhookDelivery>> ReplayAsync(Guid? organizationId, Guid endpointId, Guid deliveryId, CancellationToken ct)
    {
        var found = await FindAsync(organizationId, endpointId, ct);
        if (found.Failed(out var failure)) return failure;
        var delivery = await db.WebhookDeliveries.SingleOrDefaultAsync(d => d.Id == deliveryId && d.EndpointId == endpointId, ct);
        if (delivery is null) return Failure.NotFound("Delivery");
        var now = clock.GetUtcNow();
        delivery.Status = WebhookDeliveryStatus.Pending;
        delivery.NextAttemptAt = now;
        delivery.LockedUntil = null;
        if (delivery.RetryUntil < now) delivery.RetryUntil = now;
        await db.SaveChangesAsync(ct);
        return delivery;
    }

    /// <summary>Queues a <c>webhook.test</c> event for this endpoint only.</summary>
    public async Task<Result<WebhookDelivery>> SendTestAsync(Guid? organizationId, Guid endpointId, CancellationToken ct)
    {
        var found = await FindAsync(organizationId, endpointId, ct);
        if (found.Failed(out var failure)) return failure;
        var endpoint = found.Value;
        var aboutOrganization = organizationId ?? Guid.Empty;
        var now = clock.GetUtcNow();
        var eventId = Guid.CreateVersion7();
        var payload = WebhookPublisher.Payload(eventId, WebhookEvents.Test, now, aboutOrganization,
            new { endpointId = endpoint.Id, message = "A test event sent from Accrue." });
        var delivery = WebhookPublisher.NewDelivery(endpoint.Id, endpoint.IsOperatorEndpoint, eventId, WebhookEvents.Test, aboutOrganization, payload, now, options.Value);
        delivery.RetryUntil = now;
        db.WebhookDeliveries.Add(delivery);
        await db.SaveChangesAsync(ct);
        return delivery;
    }

    /// <summary>
    /// Null when the URL's host may be registered, otherwise why not: an IP literal in any form (decimal, octal,
    /// hex, IPv6, IPv4-mapped) or <c>localhost</c> that is not a public address, unless the operator allows private
    /// targets. A host name is checked again after DNS resolution at each delivery (<see cref="GuardedConnections"/>).
    /// </summary>
    public static string? RefuseHost(Uri uri, bool allowPrivateTargets, out bool loopback)
    {
        loopback = false;
        var host = uri.IdnHost;
        AddressKind kind;
        if (NetworkAddresses.TryParseLiteral(host, out var address)) kind = NetworkAddresses.Classify(address);
        else if (NetworkAddresses.EndsInNumber(host)) return $"\"{uri.Host}\" is neither a valid IP address nor a host name.";
        else if (NetworkAddresses.IsLocalhostName(host)) kind = AddressKind.Loopback;
        else return null;
        loopback = kind == AddressKind.Loopback;
        if (kind == AddressKind.Public || allowPrivateTargets) return null;
        return $"Webhooks are only sent to public internet addresses: {uri.Host} is {NetworkAddresses.Describe(kind)}.";
    }

    public static Failure? Validate(WebhookEndpointInput input, bool allowPrivateTargets)
    {
        var errors = new FieldErrors();
        var url = input.Url?.Trim();
        if (string.IsNullOrEmpty(url)) errors.Add("Url", "URL is required.");
        else if (url.Length > WebhookEndpoint.UrlMaxLength) errors.Add("Url", $"URL must be at most {WebhookEndpoint.UrlMaxLength} characters.");
        else if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp) || uri.Host.Length == 0)
            errors.Add("Url", "Enter an absolute http:// or https:// URL, like https://example.com/webhooks/accrue.");
        else if (!string.IsNullOrEmpty(uri.UserInfo))
            errors.Add("Url", "Don't put a user name or password in the URL; verify the signature instead.");
        else if (RefuseHost(uri, allowPrivateTargets, out var loopback) is { } refused)
            errors.Add("Url", refused);
        else if (uri.Scheme == Uri.UriSchemeHttp && !loopback)
            errors.Add("Url", "Use https:// (plain http:// is allowed only for localhost while testing).");

        var types = input.EventTypes?.Where(t => !string.IsNullOrWhiteSpace(t)).Select(t => t.Trim()).ToList() ?? [];
        if (types.Count == 0) errors.Add("EventTypes", "Choose at least one event type.");
        else if (types.FirstOrDefault(t => !WebhookEvents.IsKnown(t)) is { } unknown)
            errors.Add("EventTypes", $"\"{unknown}\" is not an event type. Known types: {string.Join(", ", WebhookEvents.All)}.");
        errors.Limit("Description", input.Description?.Trim(), "Description", WebhookEndpoint.DescriptionMaxLength);
        return errors.Any ? errors.ToFailure() : null;
    }

    private static List<string> Normalize(IReadOnlyList<string>? types) =>
        WebhookEvents.All.Where(t => types?.Any(x => string.Equals(x?.Trim(), t, StringComparison.Ordinal)) == true).ToList();

    private static string? Clean(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private static string NewSecret() => "whsec_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
}
