using Accrue.Domain.Accounts;
using Accrue.Domain.Billing;
using Accrue.Domain.Catalog;
using Accrue.Domain.Common;
using Accrue.Web.Data;
using Accrue.Web.Features.Shared;
using Accrue.Web.Features.Subscriptions;
using Accrue.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Accrue.Web.Features.Portal.Subscriptions;

/// <summary>Says what cancelling will do under the plan's rule, then cancels (SubscriptionCommands decides).</summary>
[RequirePermission(Permissions.ManageAccount)]
public sealed class CancelModel(AccrueDb db, SubscriptionCommands subscriptions, PortalContext portal, TimeProvider clock) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public Guid Id { get; set; }

    public SubscriptionView View { get; private set; } = null!;
    public DateOnly Today { get; private set; }

    public bool Immediately => View.Plan.CancellationRule == CancellationRule.Immediately || View.Subscription.Status == Domain.Subscriptions.SubscriptionStatus.Trial;

    /// <summary>The first day the plan's minimum term allows cancelling, when that is still ahead.</summary>
    public DateOnly? MinimumTermEnds =>
        subscriptions.MinimumTermEnds(View.Plan, View.Subscription) is { } until && until > Today ? until : null;

    /// <summary>Why cancelling would be refused today: shown instead of the button (issue 15 B20).</summary>
    public Failure? Refusal { get; private set; }

    public async Task<IActionResult> OnGetAsync() => await LoadAsync() ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync()
    {
        if (!await LoadAsync()) return NotFound();
        var result = await subscriptions.CancelAsync(View.Subscription.OrganizationId, Id);
        if (result.Failed(out var failure))
        {
            if (failure.Kind == FailureKind.NotFound) return NotFound();
            failure.AddTo(ModelState, "");
            return Page();
        }
        var s = result.Value;
        TempData["Flash"] = s.CancelAtPeriodEnd
            ? $"{View.Name} will be cancelled at the end of the term: it runs {EndDates.Until(s.TermEnd)}."
            : $"{View.Name} was cancelled.";
        return Redirect("/portal/subscriptions");
    }

    private async Task<bool> LoadAsync()
    {
        var organization = await portal.OrganizationAsync();
        Today = organization.Today(clock);
        if (await db.SubscriptionViewAsync(organization.Id, Id) is not { } view) return false;
        View = view;
        Refusal = subscriptions.CancelRefusal(organization, view.Plan, view.Subscription);
        return true;
    }
}
