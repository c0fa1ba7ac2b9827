using Accrue.Domain.Accounts;
using Accrue.Domain.Common;
using Accrue.Web.Features.Members;
using Accrue.Web.Features.Shared;
using Accrue.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Accrue.Web.Features.Portal.Members;

/// <summary>What the add and edit member pages share: the form fields and the sets to choose from.</summary>
public abstract class MemberFormPage(PermissionSetCommands permissionSets, PortalContext portal) : PageModel
{
    [BindProperty]
    public MemberInput Input { get; set; } = new();

    public IReadOnlyList<PermissionSet> PermissionSets { get; private set; } = [];
    public Member? Existing { get; protected set; }
    public bool IsNew => Existing is null;

    protected PortalContext Portal => portal;

    protected async Task LoadChoicesAsync() =>
        PermissionSets = await permissionSets.ListAsync((await portal.OrganizationAsync()).Id);

    /// <summary>
    /// MemberCommands checks required fields itself, in its own words; the binder's "field is required"
    /// for empty inputs would only repeat them. Malformed values (a role that doesn't exist) still stop here.
    /// </summary>
    protected bool InputIsWellFormed()
    {
        var empty = ModelState
            .Where(e => e.Value is { ValidationState: Microsoft.AspNetCore.Mvc.ModelBinding.ModelValidationState.Invalid, AttemptedValue: null or "" })
            .Select(e => e.Key).ToList();
        foreach (var key in empty) ModelState.Remove(key);
        return ModelState.IsValid;
    }

    /// <summary>NotFound for another organization's member; otherwise the errors beside the fields.</summary>
    protected async Task<IActionResult> ShowAsync(Failure failure)
    {
        if (failure.Kind == FailureKind.NotFound) return NotFound();
        failure.AddTo(ModelState);
        await LoadChoicesAsync();
        return Page();
    }
}
