using System.ComponentModel.DataAnnotations;
using Accrue.Domain.Accounts;
using Accrue.Domain.Common;
using Accrue.Domain.Support;
using Accrue.Web.Data;
using Accrue.Web.Features.RemoteSupport;
using Accrue.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Console.RemoteSupport;

/// <summary>Log in as one of the organization's members (seed 001), and the organization's past sessions.</summary>
public sealed class OrganizationModel(AccrueDb db, RemoteSupportCommands remoteSupport, TimeProvider clock) : PageModel
{
    public Organization Organization { get; private set; } = null!;
    public IReadOnlyList<Member> Members { get; private set; } = [];
    public IReadOnlyList<RemoteSupportSession> Sessions { get; private set; } = [];
    public bool CanImpersonate { get; private set; }
    public DateTimeOffset Now { get; private set; }

    [BindProperty]
    [Display(Name = "Member")]
    public Guid? MemberId { get; set; }

    [BindProperty]
    [Display(Name = "Reason")]
    public string? Reason { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct) =>
        await LoadAsync(id, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        var started = await remoteSupport.StartAsync(id, MemberId, Reason, ct);
        if (started.Failed(out var failure))
        {
            if (failure.Kind == FailureKind.NotFound) return NotFound();
            if (!await LoadAsync(id, ct)) return NotFound();
            Response.StatusCode = failure.Kind switch
            {
                FailureKind.Forbidden => StatusCodes.Status403Forbidden,
                FailureKind.Conflict => StatusCodes.Status409Conflict,
                _ => StatusCodes.Status400BadRequest,
            };
            failure.AddTo(ModelState, "");
            return Page();
        }
        await remoteSupport.SignInAsMemberAsync(HttpContext, started.Value, db.Actor.Name);
        return Redirect("/portal");
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        var organization = await db.Organizations.AsNoTracking().SingleOrDefaultAsync(o => o.Id == id, ct);
        if (organization is null) return false;
        Organization = organization;
        Members = await db.Members.AsNoTracking().Where(m => m.OrganizationId == id && m.PortalAccess)
            .OrderBy(m => m.Role).ThenBy(m => m.Name).ToListAsync(ct);
        Sessions = await remoteSupport.SessionsAsync(id, ct: ct);
        CanImpersonate = (await remoteSupport.StaffPermissionsAsync(ct)).HasFlag(StaffPermissions.Impersonate);
        Now = clock.GetUtcNow();
        MemberId ??= Members.FirstOrDefault(m => m.Role == MemberRole.Owner)?.Id;
        return true;
    }
}
