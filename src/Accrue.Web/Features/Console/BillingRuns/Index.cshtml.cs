using Accrue.Domain.Common;
using Accrue.Web.Data;
using Accrue.Web.Features.Renewals;
using Accrue.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Console.BillingRuns;

/// <summary>The billing run's history, and a run on demand for operator staff (docs/billing-run.md).</summary>
public sealed class IndexModel(AccrueDb db, BillingRunner runner) : PageModel
{
    public IReadOnlyList<BillingRun> Runs { get; private set; } = [];
    [BindProperty] public DateOnly? AsOf { get; set; }
    public bool CanRun => db.Actor.IsOperator;

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!CanRun) return Failure.Forbidden("Only operator staff start billing runs.").ToPageResult(this, "");
        if (AsOf is not { } asOf)
        {
            ModelState.AddModelError(nameof(AsOf), "Give the day to bill up to.");
            await LoadAsync(ct);
            return Page();
        }
        var run = await runner.RunAsync(asOf, BillingTriggers.Console, null, ct);
        TempData["Flash"] = $"Billing run as of {asOf:yyyy-MM-dd}: {run.Renewed} renewed, {run.Invoiced} invoiced, {run.Failed} failed, {run.Expired} expired, {run.Skipped} skipped.";
        return Redirect("/console/billing-runs");
    }

    private async Task LoadAsync(CancellationToken ct) =>
        Runs = await db.BillingRuns.AsNoTracking().OrderByDescending(r => r.StartedAt).Take(50).ToListAsync(ct);
}
