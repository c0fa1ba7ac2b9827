using Accrue.Domain.Accounts;
using Accrue.Web.Features.Shared;
using Accrue.Web.Features.Webhooks;

namespace Accrue.Web.Features.Portal.Webhooks;

/// <summary>The organization's webhook endpoints; the same permission as API keys (Manage account).</summary>
[RequirePermission(Permissions.ManageAccount)]
public sealed class IndexModel(WebhookCommands webhooks, PortalContext portal) : WebhookListPageModel(webhooks)
{
    protected override async Task<Guid?> OwnerAsync() => (await portal.OrganizationAsync()).Id;
    protected override string DetailPath(Guid id) => $"/portal/webhooks/{id}";
}
