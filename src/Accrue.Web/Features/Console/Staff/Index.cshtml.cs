using Accrue.Domain.Accounts;
using Accrue.Domain.Common;
using Accrue.Web.Features.RemoteSupport;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Accrue.Web.Features.Console.Staff;

/// <summary>Staff and their permissions (Impersonate, Manage staff); staff with Manage staff change them.</summary>
public sealed class IndexModel(StaffCommands staff, RemoteSupportCommands remoteSupport) : PageModel
{
    public IReadOnlyList<StaffRow> Staff { get; private set; } = [];
    public bool CanManage { get; private set; }
    public Guid? Me { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostAsync(Guid userId, bool impersonate, bool manageStaff, CancellationToken ct)
    {
        var permissions = (impersonate ? StaffPermissions.Impersonate : StaffPermissions.None) | (manageStaff ? StaffPermissions.ManageStaff : StaffPermissions.None);
        var changed = await staff.SetPermissionsAsync(userId, permissions, ct);
        if (changed.Failed(out var failure))
        {
            if (failure.Kind == FailureKind.NotFound) return NotFound();
            Response.StatusCode = failure.Kind == FailureKind.Forbidden ? StatusCodes.Status403Forbidden : StatusCodes.Status400BadRequest;
            ModelState.Clear();
            // The form is one row of a table: its errors are shown above the table.
            ModelState.AddModelError(string.Empty, failure.Errors?.First().Value[0] ?? failure.Message);
            await LoadAsync(ct);
            return Page();
        }
        TempData["Flash"] = $"{changed.Value.DisplayName}'s permissions were saved.";
        return RedirectToPage();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Staff = await staff.ListAsync(ct);
        CanManage = (await remoteSupport.StaffPermissionsAsync(ct)).HasFlag(StaffPermissions.ManageStaff);
        Me = HttpContext.RequestServices.GetRequiredService<Data.AccrueDb>().Actor.UserId;
    }
}
