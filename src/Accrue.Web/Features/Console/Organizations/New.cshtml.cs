using Accrue.Domain.Common;
using Accrue.Web.Data;
using Accrue.Web.Features.Members;
using Accrue.Web.Features.Organizations;
using Microsoft.AspNetCore.Mvc;

namespace Accrue.Web.Features.Console.Organizations;

/// <summary>Creates an organization with its Owner, who gets an invitation email.</summary>
public sealed class NewModel(AccrueDb db, OrganizationCommands organizations) : OrganizationFormModel(db)
{
    [BindProperty]
    public string? OwnerName { get; set; }

    [BindProperty]
    public string? OwnerEmail { get; set; }

    public override bool ShowPartner => Db.Actor.PartnerId is null;

    public async Task OnGetAsync(CancellationToken ct)
    {
        Input = new() { Country = "", Currency = "", TimeZone = "" };
        await LoadListsAsync(ct);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (HasUnreadableValues())
        {
            await LoadListsAsync(ct);
            return Page();
        }
        var created = await organizations.CreateAsync(Input, new NewOwnerInput(OwnerName ?? "", OwnerEmail ?? ""), ct);
        if (created.Failed(out var failure))
        {
            if (failure.Kind == FailureKind.Forbidden) return Forbid();
            AddErrors(failure);
            await LoadListsAsync(ct);
            return Page();
        }
        var organization = created.Value;
        TempData["Flash"] = $"{organization.Name} was created. An invitation was sent to {OwnerEmail?.Trim()}.";
        return Redirect($"/console/organizations/{organization.Id}");
    }

    /// <summary>The owner's fields are top-level on this form, not under Input.</summary>
    private void AddErrors(Failure failure)
    {
        if (failure.Errors is null || failure.Errors.Count == 0)
        {
            ModelState.AddModelError(string.Empty, failure.Message);
            return;
        }
        foreach (var (field, messages) in failure.Errors)
        {
            var key = field switch
            {
                "Owner.Name" => nameof(OwnerName),
                "Owner.Email" => nameof(OwnerEmail),
                _ => $"{nameof(Input)}.{field}",
            };
            foreach (var message in messages) ModelState.AddModelError(key, message);
        }
    }
}
