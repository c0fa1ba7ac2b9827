using Accrue.Domain.Common;
using Accrue.Web.Data;
using Accrue.Web.Features.Webhooks;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Console.Webhooks;

/// <summary>Any endpoint for operator staff: the operator's own, or an organization's (to help it with its deliveries).</summary>
public sealed class DetailModel(WebhookCommands webhooks, AccrueDb db) : WebhookDetailPageModel(webhooks)
{
    protected override async Task<Result<Guid?>> OwnerAsync(Guid id, CancellationToken ct)
    {
        if (!db.Actor.IsOperator) return Failure.Forbidden("Only the operator's staff manage webhooks in the console.");
        var endpoint = await db.WebhookEndpoints.AsNoTracking().Where(e => e.Id == id).Select(e => new { e.OrganizationId }).SingleOrDefaultAsync(ct);
        return endpoint is null ? Failure.NotFound("Webhook endpoint") : endpoint.OrganizationId;
    }

    protected override string ListPath => "/console/webhooks";
}
