using Accrue.Domain.Accounts;
using Accrue.Web.Data;
using Accrue.Web.Features.Shared;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Console.Organizations;

/// <summary>The organizations staff may see (partner staff: their partner's, by the tenant filter), searched and paged.</summary>
public sealed class IndexModel(AccrueDb db) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    [BindProperty(SupportsGet = true)] public Guid? PartnerId { get; set; }
    [BindProperty(SupportsGet = true)] public OrganizationStatus? Status { get; set; }
    [BindProperty(SupportsGet = true)] public BillingMode? BillingMode { get; set; }
    [BindProperty(SupportsGet = true)] public string? Country { get; set; }
    /// <summary>The "page" query value, read by hand: "page" is the route value that names a Razor Page, so it cannot be bound.</summary>
    public int PageNumber => int.TryParse(Request.Query["page"], System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : 1;

    public Paged<OrganizationRow> Results { get; private set; } = new([], 1, PagingExtensions.PageSize, 0);
    public IReadOnlyList<Partner> Partners { get; private set; } = [];
    public bool IsFiltered => !string.IsNullOrWhiteSpace(Q) || PartnerId is not null || Status is not null || BillingMode is not null || !string.IsNullOrWhiteSpace(Country);
    public bool ShowPartnerFilter => db.Actor.PartnerId is null;

    /// <summary>The per-row shortcut menu (seed 001): straight to an organization's section.</summary>
    public static IEnumerable<(string Label, string Href)> Shortcuts(Guid id, BillingMode mode) =>
    [
        ("Overview", $"/console/organizations/{id}"), ("Members", $"/console/organizations/{id}/members"),
        .. mode == Domain.Accounts.BillingMode.Prepaid ? [("Wallet", $"/console/organizations/{id}/wallet")] : Array.Empty<(string, string)>(),
        ("Subscriptions", $"/console/organizations/{id}/subscriptions"),
        ("Orders", $"/console/organizations/{id}/orders"), ("Invoices", $"/console/organizations/{id}/invoices"),
        ("Tickets", $"/console/support?organization={id}"), ("Settings", $"/console/organizations/{id}/settings"),
        ("Status", $"/console/organizations/{id}/status"), ("Audit", $"/console/organizations/{id}/audit"),
    ];

    public async Task OnGetAsync(CancellationToken ct)
    {
        Partners = ShowPartnerFilter ? await db.Partners.AsNoTracking().OrderBy(p => p.Name).ToListAsync(ct) : [];

        var query = db.Organizations.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(Q))
        {
            var term = Q.Trim().ToLower();
            query = query.Where(o => o.Name.ToLower().Contains(term) || o.BillingName.ToLower().Contains(term));
        }
        if (PartnerId is { } partnerId) query = query.Where(o => o.PartnerId == partnerId);
        if (Status is { } status) query = query.Where(o => o.Status == status);
        if (BillingMode is { } mode) query = query.Where(o => o.BillingMode == mode);
        if (!string.IsNullOrWhiteSpace(Country))
        {
            var country = Country.Trim().ToUpperInvariant();
            query = query.Where(o => o.Country == country);
        }

        Results = await query
            .OrderBy(o => o.Name).ThenBy(o => o.Id)
            .Select(o => new OrganizationRow(
                o.Id, o.Name,
                db.Partners.Where(p => p.Id == o.PartnerId).Select(p => p.Name).FirstOrDefault(),
                o.Country, o.Currency, o.BillingMode, o.Status,
                db.Members.Count(m => m.OrganizationId == o.Id)))
            .ToPagedAsync(PageNumber, ct);
    }
}

public sealed record OrganizationRow(Guid Id, string Name, string? Partner, string Country, string Currency, BillingMode BillingMode, OrganizationStatus Status, int Members);
