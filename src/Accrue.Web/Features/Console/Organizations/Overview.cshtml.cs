using Accrue.Domain.Accounts;
using Accrue.Web.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Console.Organizations;

/// <summary>One organization at a glance, with shortcuts to its sections (seed 001).</summary>
public sealed class OverviewModel(AccrueDb db) : PageModel
{
    public Organization Organization { get; private set; } = null!;
    public string? PartnerName { get; private set; }
    public int MembersCount { get; private set; }
    public Member? Owner { get; private set; }
    public Domain.Orders.CardOnFile? Card { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        var organization = await db.Organizations.AsNoTracking().SingleOrDefaultAsync(o => o.Id == id, ct);
        if (organization is null) return NotFound();
        Organization = organization;
        PartnerName = await db.Partners.Where(p => p.Id == organization.PartnerId).Select(p => p.Name).FirstOrDefaultAsync(ct);
        MembersCount = await db.Members.CountAsync(m => m.OrganizationId == id, ct);
        Owner = await db.Members.AsNoTracking().FirstOrDefaultAsync(m => m.OrganizationId == id && m.Role == MemberRole.Owner, ct);
        Card = await db.CardsOnFile.AsNoTracking().SingleOrDefaultAsync(c => c.OrganizationId == id, ct);
        return Page();
    }
}
