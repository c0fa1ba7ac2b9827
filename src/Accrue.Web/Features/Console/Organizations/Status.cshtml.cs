using Accrue.Domain.Accounts;
using Accrue.Domain.Common;
using Accrue.Web.Data;
using Accrue.Web.Features.Organizations;
using Accrue.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Console.Organizations;

/// <summary>
/// Suspends, closes, reactivates or deletes the organization with a reason (seed 001). A refusal lists every
/// blocker — wallet money to withdraw, bills to settle — and changes nothing.
/// </summary>
public sealed class StatusModel(AccrueDb db, OrganizationCommands organizations, AccountDeletion deletion) : PageModel
{
    public Organization Organization { get; private set; } = null!;
    /// <summary>What would stop a suspension or closure now, shown before the operator tries.</summary>
    public IReadOnlyList<string> Blockers { get; private set; } = [];
    /// <summary>The blockers of a refused attempt.</summary>
    public IReadOnlyList<string> Refused { get; private set; } = [];
    public string? RefusedMessage { get; private set; }
    /// <summary>Operator staff delete closed accounts; partner staff only close them.</summary>
    public bool CanDelete { get; private set; }

    [BindProperty]
    public string? Reason { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct) =>
        await LoadAsync(id, ct) ? Page() : NotFound();

    /// <summary>A post without a chosen action (the buttons carry it) changes nothing.</summary>
    public IActionResult OnPost(Guid id) => Redirect($"/console/organizations/{id}/status");

    public Task<IActionResult> OnPostSuspendAsync(Guid id, CancellationToken ct) =>
        ChangeAsync(id, organizations.SuspendAsync, "The organization was suspended: its members now have a read-only portal.", ct);

    public Task<IActionResult> OnPostCloseAsync(Guid id, CancellationToken ct) =>
        ChangeAsync(id, organizations.CloseAsync, "The organization was closed. You can reactivate it here.", ct);

    /// <summary>Deleting a closed account erases its members' personal data for good (decision 0014).</summary>
    public Task<IActionResult> OnPostDeleteAsync(Guid id, CancellationToken ct) =>
        ChangeAsync(id, deletion.DeleteAsync, "The organization was deleted: its members' personal data is erased; its invoices and credit notes are kept.", ct);

    public Task<IActionResult> OnPostReactivateAsync(Guid id, CancellationToken ct) =>
        ChangeAsync(id, organizations.ReactivateAsync, "The organization is active again.", ct);

    private async Task<IActionResult> ChangeAsync(Guid id, Func<Guid, string?, CancellationToken, Task<Result<Organization>>> change, string done, CancellationToken ct)
    {
        var result = await change(id, Reason, ct);
        if (result.Failed(out var failure))
        {
            if (failure.Kind is FailureKind.NotFound or FailureKind.Forbidden) return failure.ToPageResult(this);
            if (!await LoadAsync(id, ct)) return NotFound();
            if (failure.Errors?.TryGetValue(AccountClosure.BlockersKey, out var blockers) == true)
            {
                Refused = blockers;
                RefusedMessage = failure.Message[..(failure.Message.IndexOf('.', StringComparison.Ordinal) + 1)];
            }
            else failure.AddTo(ModelState, "");
            return Page();
        }
        TempData["Flash"] = done;
        return Redirect($"/console/organizations/{id}/status");
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        var organization = await db.Organizations.AsNoTracking().SingleOrDefaultAsync(o => o.Id == id, ct);
        if (organization is null) return false;
        Organization = organization;
        if (organization.Status != OrganizationStatus.Deleted) Blockers = await organizations.BlockersAsync(organization, ct);
        CanDelete = db.Actor.IsOperator && organization.Status == OrganizationStatus.Closed;
        return true;
    }
}
