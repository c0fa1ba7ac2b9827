using Accrue.Domain.Accounts;
using Accrue.Web.Data;
using Accrue.Web.Features.Members;
using Accrue.Web.Features.Portal.Subscriptions;
using Accrue.Web.Features.Shared;
using Accrue.Web.Features.Subscriptions;
using Accrue.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Portal.Members;

[RequirePermission(Permissions.ManageMembers)]
public sealed class IndexModel(AccrueDb db, MemberCommands commands, SubscriptionCommands subscriptions, PortalContext portal, TimeProvider clock) : PageModel
{
    /// <summary>A seat type of a live subscription a member can be given, with how many are still free.</summary>
    public sealed record SeatOption(Guid SubscriptionId, Guid SeatTypeId, string Label, int Free)
    {
        public string Value => $"{SubscriptionId}:{SeatTypeId}";
    }

    public IReadOnlyList<SeatOption> SeatOptions { get; private set; } = [];

    public IReadOnlyList<Member> Members { get; private set; } = [];
    public Member Me { get; private set; } = null!;

    [BindProperty]
    public Guid? NewOwnerId { get; set; }

    public async Task OnGetAsync() => await LoadAsync();

    public async Task<IActionResult> OnPostRemoveAsync(Guid id)
    {
        var organization = await portal.OrganizationAsync();
        var result = await commands.RemoveAsync(organization.Id, id);
        if (result.Failed(out var failure))
        {
            if (failure.Kind == Domain.Common.FailureKind.NotFound) return NotFound();
            failure.AddTo(ModelState, "");
            await LoadAsync();
            return Page();
        }
        TempData["Flash"] = $"{result.Value.Name} was removed.";
        return RedirectToPage();
    }

    /// <summary>Gives a member a seat ("subscription:seat type") or takes it away (empty); the command refuses more than purchased.</summary>
    public async Task<IActionResult> OnPostSeatAsync(Guid id, string? seat)
    {
        var organization = await portal.OrganizationAsync();
        Guid? subscriptionId = null, seatTypeId = null;
        if (!string.IsNullOrEmpty(seat))
        {
            var parts = seat.Split(':');
            if (parts.Length != 2 || !Guid.TryParse(parts[0], out var s) || !Guid.TryParse(parts[1], out var t))
            {
                ModelState.AddModelError("", "Choose one of the seat types listed.");
                await LoadAsync();
                return Page();
            }
            (subscriptionId, seatTypeId) = (s, t);
        }
        var result = await subscriptions.AssignSeatAsync(organization.Id, id, subscriptionId, seatTypeId);
        if (result.Failed(out var failure))
        {
            if (failure.Kind == Domain.Common.FailureKind.NotFound) return NotFound();
            ModelState.AddModelError("", failure.Message);
            await LoadAsync();
            return Page();
        }
        TempData["Flash"] = seatTypeId is null ? $"{result.Value.Name} no longer has a seat." : $"{result.Value.Name} now has a {SeatName(result.Value)} seat.";
        return RedirectToPage();
    }

    /// <summary>"Finance (ERP Standard)" for a member's seat, or null.</summary>
    public string? SeatName(Member member) =>
        member.SeatTypeId is { } typeId && _seatNames.TryGetValue(typeId, out var name) ? name : null;

    private Dictionary<Guid, string> _seatNames = [];

    public async Task<IActionResult> OnPostTransferAsync()
    {
        var organization = await portal.OrganizationAsync();
        if (NewOwnerId is not { } newOwnerId)
        {
            ModelState.AddModelError(nameof(NewOwnerId), "Choose the member who becomes the Owner.");
            await LoadAsync();
            return Page();
        }
        var result = await commands.TransferOwnershipAsync(organization.Id, newOwnerId);
        if (result.Failed(out var failure))
        {
            failure.AddTo(ModelState, "");
            await LoadAsync();
            return Page();
        }
        TempData["Flash"] = $"{result.Value.Name} is now the Owner. You stay as an Admin.";
        return RedirectToPage();
    }

    private async Task LoadAsync()
    {
        Me = await portal.MemberAsync();
        Members = await db.Members.AsNoTracking().Include(m => m.PermissionSet).Include(m => m.Department)
            .Where(m => m.OrganizationId == Me.OrganizationId)
            .OrderBy(m => m.Role).ThenBy(m => m.Name)
            .ToListAsync();
        var views = await db.SubscriptionViewsAsync(Me.OrganizationId);
        _seatNames = views.SelectMany(v => v.Plan.SeatTypes.Select(t => (t.Id, Name: $"{t.Name} ({v.Plan.Name})"))).DistinctBy(t => t.Id).ToDictionary(t => t.Id, t => t.Name);
        var today = (await portal.OrganizationAsync()).Today(clock);
        // Free seats: of today's, and of the next term's when fewer were chosen for it at an early renewal.
        SeatOptions = views.Where(v => v.Subscription.IsLive)
            .SelectMany(v => v.Plan.SeatTypes.OrderBy(t => t.SortOrder).Where(t => v.Subscription.SeatsOf(t.Id, today) > 0)
                .Select(t => new SeatOption(v.Subscription.Id, t.Id, $"{t.Name} ({v.Name})", v.Subscription.SeatsFromOn(t.Id, today) - v.AssignedOf(t.Id))))
            .ToList();
    }
}
