using Accrue.Domain.Accounts;

namespace Accrue.Web.Features.Shared;

public static class PermissionNames
{
    public static readonly IReadOnlyList<(Permissions Permission, string Name, string Description)> All =
    [
        (Permissions.ManageAccount, "Manage account", "Buy, renew, add seats and pay (wallet, card, vouchers); change the card on file, webhooks and API keys."),
        (Permissions.ManageMembers, "Manage members", "Add, change and remove members; define permission sets."),
        (Permissions.ViewBilling, "View billing", "See invoices, payments and the balance."),
        (Permissions.ManageSupport, "Manage support", "Open and follow support tickets."),
    ];

    public static string Describe(Permissions permissions) =>
        permissions == Permissions.None ? "No extra permissions"
        : string.Join(", ", All.Where(p => permissions.HasFlag(p.Permission)).Select(p => p.Name));
}
