using Accrue.Domain.Accounts;
using Accrue.Domain.Billing;
using Accrue.Domain.Common;
using Accrue.Domain.Subscriptions;
using Accrue.Web.Data;
using Accrue.Web.Features.Shared;
using Accrue.Web.Features.Subscriptions;
using Accrue.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Portal.Subscriptions;

/// <summary>
/// The Subscriptions tab (seed 004): every subscription with its items and scheduled changes, units
/// of per-unit plans as a table with bulk renewal (seed 002), and the changes that cost nothing.
/// Everyone sees it; only buyers get the buttons (the commands check again).
/// </summary>
public sealed class IndexModel(AccrueDb db, SubscriptionCommands subscriptions, PortalContext portal, TimeProvider clock) : PageModel
{
    public IReadOnlyList<SubscriptionView> Subscriptions { get; private set; } = [];
    /// <summary>Per-unit subscriptions grouped by plan.</summary>
    public IReadOnlyList<IGrouping<Guid, SubscriptionView>> UnitPlans { get; private set; } = [];
    public IReadOnlyList<Department> Departments { get; private set; } = [];
    public bool CanManage { get; private set; }
    public DateOnly Today { get; private set; }
    private Organization _organization = null!;

    /// <summary>Why cancelling would be refused today (the minimum term), shown instead of the Cancel link.</summary>
    public Failure? CancelRefusal(SubscriptionView view) => subscriptions.CancelRefusal(_organization, view.Plan, view.Subscription);

    public async Task OnGetAsync() => await LoadAsync();

    public Task<IActionResult> OnPostUndoCancelAsync(Guid id) =>
        ChangeAsync(id, org => subscriptions.UndoCancelAsync(org, id), s => "The cancellation was undone: the subscription continues and renews automatically.");

    public Task<IActionResult> OnPostPauseAsync(Guid id) =>
        ChangeAsync(id, org => subscriptions.PauseAsync(org, id), s => $"The subscription is paused from {s.PausedOn:yyyy-MM-dd}.");

    public Task<IActionResult> OnPostResumeAsync(Guid id) =>
        ChangeAsync(id, org => subscriptions.ResumeAsync(org, id), s => $"The subscription resumed; it now runs {EndDates.Until(s.TermEnd)}.");

    public Task<IActionResult> OnPostAutoRenewAsync(Guid id, bool on) =>
        ChangeAsync(id, org => subscriptions.SetAutoRenewAsync(org, id, on),
            s => s.AutoRenew ? "Auto-renew is on." : $"Auto-renew is off: the subscription runs {EndDates.Until(s.TermEnd)}, then expires.");

    private async Task<IActionResult> ChangeAsync(Guid id, Func<Guid, Task<Result<Subscription>>> change, Func<Subscription, string> done)
    {
        var organization = await portal.OrganizationAsync();
        var result = await change(organization.Id);
        if (result.Failed(out var failure))
        {
            if (failure.Kind == FailureKind.NotFound) return NotFound();
            failure.AddTo(ModelState, "");
            await LoadAsync();
            Response.StatusCode = failure.Kind == FailureKind.Forbidden ? StatusCodes.Status403Forbidden : StatusCodes.Status200OK;
            return Page();
        }
        TempData["Flash"] = done(result.Value);
        return RedirectToPage();
    }

    private async Task LoadAsync()
    {
        var organization = await portal.OrganizationAsync();
        _organization = organization;
        Today = organization.Today(clock);
        CanManage = await portal.CanAsync(Permissions.ManageAccount);
        var all = await db.SubscriptionViewsAsync(organization.Id);
        Subscriptions = all.Where(v => !v.Plan.SoldPerUnit).ToList();
        UnitPlans = all.Where(v => v.Plan.SoldPerUnit).GroupBy(v => v.Plan.Id).ToList();
        Departments = await db.Departments.AsNoTracking().Where(d => d.OrganizationId == organization.Id).OrderBy(d => d.Name).ToListAsync();
    }
}
