using Accrue.Domain.Accounts;
using Accrue.Domain.Common;
using Accrue.Web.Features.Members;
using Accrue.Web.Features.Shared;
using Accrue.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Accrue.Web.Features.Portal.Members;

[RequirePermission(Permissions.ManageMembers)]
public sealed class EditPermissionSetModel(PermissionSetCommands commands, PortalContext portal) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public Guid Id { get; set; }

    [BindProperty]
    public PermissionSetInput Input { get; set; } = new();

    public string SetName { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync()
    {
        var found = await commands.FindAsync((await portal.OrganizationAsync()).Id, Id);
        if (found.Failed(out var failure)) return Answer(failure);
        SetName = found.Value.Name;
        Input = PermissionSetInput.From(found.Value);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        ModelState.Remove("Input.Name"); // PermissionSetCommands says what's wrong with the name.
        var result = await commands.UpdateAsync((await portal.OrganizationAsync()).Id, Id, Input);
        if (result.Failed(out var failure))
        {
            if (failure.Kind != FailureKind.Invalid) return Answer(failure);
            failure.AddTo(ModelState);
            SetName = Input.Name;
            return Page();
        }
        TempData["Flash"] = $"Permission set '{result.Value.Name}' was saved.";
        return Redirect("/portal/members/permission-sets");
    }

    private IActionResult Answer(Failure failure)
    {
        // Built-in sets are read-only: back to the list, which shows them without an Edit button.
        if (failure.Kind == FailureKind.NotFound) return NotFound();
        return Redirect("/portal/members/permission-sets");
    }
}
