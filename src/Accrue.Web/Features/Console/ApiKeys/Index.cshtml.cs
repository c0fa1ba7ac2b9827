using Accrue.Web.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Console.ApiKeys;

/// <summary>
/// Console API keys: operator-wide keys, or for partner staff their partner's keys (the tenant filter
/// scopes them). The plaintext is shown once, in the answer to the create request, and never stored.
/// </summary>
public sealed class IndexModel(AccrueDb db, TimeProvider clock) : PageModel
{
    public const int NameMaxLength = 100;

    [BindProperty]
    public string? Name { get; set; }

    public IReadOnlyList<ApiKeyRow> Keys { get; private set; } = [];
    /// <summary>Set only on the response that created the key.</summary>
    public string? CreatedKey { get; private set; }
    public string? CreatedName { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        ModelState.Clear();
        var name = Name?.Trim();
        if (string.IsNullOrEmpty(name)) ModelState.AddModelError(nameof(Name), "Name the key after what uses it, like \"CRM sync\".");
        else if (name.Length > NameMaxLength) ModelState.AddModelError(nameof(Name), $"Name must be at most {NameMaxLength} characters.");
        if (!ModelState.IsValid)
        {
            await LoadAsync(ct);
            return Page();
        }

        var (key, plaintext) = Infrastructure.Security.ApiKeys.Create(name!, organizationId: null, partnerId: db.Actor.PartnerId);
        db.ApiKeys.Add(key);
        await db.SaveChangesAsync(ct);
        CreatedKey = plaintext;
        CreatedName = key.Name;
        Name = null;
        await LoadAsync(ct);
        // The key must not linger in any cache between here and the operator's screen.
        Response.Headers.CacheControl = "no-store";
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync(Guid keyId, CancellationToken ct)
    {
        var key = await ConsoleKeys().SingleOrDefaultAsync(k => k.Id == keyId, ct);
        if (key is null) return NotFound();
        if (key.RevokedAt is null)
        {
            key.RevokedAt = clock.GetUtcNow();
            await db.SaveChangesAsync(ct);
        }
        TempData["Flash"] = $"The key \"{key.Name}\" was revoked; requests with it are refused from now on.";
        return Redirect("/console/api-keys");
    }

    private IQueryable<ApiKey> ConsoleKeys() => db.ApiKeys.Where(k => k.OrganizationId == null);

    private async Task LoadAsync(CancellationToken ct)
    {
        Keys = await ConsoleKeys().AsNoTracking()
            .OrderBy(k => k.RevokedAt != null).ThenBy(k => k.Name)
            .Select(k => new ApiKeyRow(k.Id, k.Name, k.Prefix, db.Partners.Where(p => p.Id == k.PartnerId).Select(p => p.Name).FirstOrDefault(),
                k.CreatedAt, k.CreatedBy, k.LastUsedAt, k.RevokedAt))
            .ToListAsync(ct);
    }
}

public sealed record ApiKeyRow(Guid Id, string Name, string Prefix, string? Partner, DateTimeOffset CreatedAt, string? CreatedBy, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt);
