using System.ComponentModel.DataAnnotations;
using Accrue.Domain.Accounts;
using Accrue.Web.Data;
using Accrue.Web.Features.Shared;
using Accrue.Web.Infrastructure.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Portal.Settings;

/// <summary>The organization's API keys. A new key is shown once; only its hash is stored.</summary>
[RequirePermission(Permissions.ManageAccount)]
[NotDuringRemoteSupport("creating or revoking API keys")]
public sealed class ApiKeysModel(AccrueDb db, PortalContext portal, TimeProvider clock) : PageModel
{
    public IReadOnlyList<ApiKey> Keys { get; private set; } = [];

    [BindProperty]
    [Display(Name = "Key name")]
    public string? Name { get; set; }

    /// <summary>Set only in the answer to creating a key.</summary>
    public string? NewKey { get; private set; }

    public async Task OnGetAsync() => await LoadAsync();

    public async Task<IActionResult> OnPostAsync()
    {
        var name = Name?.Trim() ?? "";
        if (name.Length == 0) ModelState.AddModelError(nameof(Name), "Give the key a name, like the system that will use it.");
        else if (name.Length > 100) ModelState.AddModelError(nameof(Name), "Key name must be at most 100 characters.");
        if (!ModelState.IsValid)
        {
            await LoadAsync();
            return Page();
        }
        var organization = await portal.OrganizationAsync();
        var (key, plaintext) = ApiKeys.Create(name, organization.Id, null);
        db.ApiKeys.Add(key);
        await db.SaveChangesAsync();
        NewKey = plaintext;
        Name = null;
        ModelState.Clear();
        await LoadAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync(Guid id)
    {
        var organization = await portal.OrganizationAsync();
        var key = await db.ApiKeys.SingleOrDefaultAsync(k => k.Id == id && k.OrganizationId == organization.Id);
        if (key is null) return NotFound();
        if (key.RevokedAt is null)
        {
            key.RevokedAt = clock.GetUtcNow();
            await db.SaveChangesAsync();
        }
        TempData["Flash"] = $"API key '{key.Name}' was revoked. Requests with it are refused from now on.";
        return RedirectToPage();
    }

    private async Task LoadAsync()
    {
        var organization = await portal.OrganizationAsync();
        Keys = await db.ApiKeys.AsNoTracking().Where(k => k.OrganizationId == organization.Id)
            .OrderBy(k => k.RevokedAt != null).ThenByDescending(k => k.CreatedAt).ToListAsync();
    }
}
