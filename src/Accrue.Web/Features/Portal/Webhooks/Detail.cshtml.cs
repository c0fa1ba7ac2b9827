using Accrue.Domain.Accounts;
using Accrue.Domain.Common;
using Accrue.Web.Features.Shared;
using Accrue.Web.Features.Webhooks;

namespace Accrue.Web.Features.Portal.Webhooks;

[RequirePermission(Permissions.ManageAccount)]
public sealed class DetailModel(WebhookCommands webhooks, PortalContext portal) : WebhookDetailPageModel(webhooks)
{
    protected override async Task<Result<Guid?>> OwnerAsync(Guid id, CancellationToken ct) => (await portal.OrganizationAsync()).Id;
    protected override string ListPath => "/portal/webhooks";
}
