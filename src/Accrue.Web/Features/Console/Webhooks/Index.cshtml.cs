using Accrue.Web.Data;
using Accrue.Web.Features.Webhooks;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Console.Webhooks;

/// <summary>
/// The operator's endpoints (every organization's events), and the latest deliveries to any endpoint,
/// organizations' included, for support. Operator staff only.
/// </summary>
public sealed class IndexModel(WebhookCommands webhooks, AccrueDb db) : WebhookListPageModel(webhooks)
{
    public sealed record DeliveryRow(WebhookDelivery Delivery, string Url, string? Organization);

    public IReadOnlyList<DeliveryRow> Recent { get; private set; } = [];

    protected override async Task<Guid?> OwnerAsync()
    {
        if (db.Actor.IsOperator)
        {
            Recent = await (from d in db.WebhookDeliveries.AsNoTracking()
                            join e in db.WebhookEndpoints on d.EndpointId equals e.Id
                            join o in db.Organizations on d.OrganizationId equals o.Id into orgs
                            from o in orgs.DefaultIfEmpty()
                            orderby d.CreatedAt descending
                            select new DeliveryRow(d, e.Url, o == null ? null : o.Name)).Take(50).ToListAsync();
        }
        return null;
    }

    protected override string DetailPath(Guid id) => $"/console/webhooks/{id}";
}
