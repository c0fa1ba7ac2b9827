using Accrue.Domain.Accounts;
using Accrue.Domain.Catalog;
using Accrue.Domain.Common;
using Accrue.Domain.Subscriptions;
using Accrue.Web.Data;
using Accrue.Web.Features.Orders;
using Accrue.Web.Features.Subscriptions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Console.Subscriptions;

/// <summary>
/// An organization's subscriptions as the operator manages them: seat counts set directly (mid-term
/// reductions are the operator's call, seed 003), deliveries of physical goods with their serial
/// numbers, immediate cancellation, pause and resume. Every change goes through <see cref="SubscriptionCommands"/>.
/// </summary>
public sealed class OrganizationModel(AccrueDb db, SubscriptionCommands subscriptions, TimeProvider clock) : PageModel
{
    public Organization Organization { get; private set; } = null!;
    /// <summary>Today in the organization's time zone: the seat counts shown are today's.</summary>
    public DateOnly Today => Organization.Today(clock);
    public IReadOnlyList<Subscription> Subscriptions { get; private set; } = [];
    public IReadOnlyDictionary<Guid, Plan> Plans { get; private set; } = new Dictionary<Guid, Plan>();
    public IReadOnlyDictionary<Guid, Dictionary<Guid, int>> Assigned { get; private set; } = new Dictionary<Guid, Dictionary<Guid, int>>();
    public IReadOnlyList<Product> PhysicalGoods { get; private set; } = [];

    [BindProperty] public List<SeatInput> Seats { get; set; } = [];
    [BindProperty] public Guid? ProductId { get; set; }
    [BindProperty] public string? SerialNumber { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct) =>
        await LoadAsync(id, ct) ? Page() : NotFound();

    public Task<IActionResult> OnPostSetSeatsAsync(Guid id, Guid subscriptionId, CancellationToken ct) =>
        RunAsync(id, () => subscriptions.SetSeatsAsync(id, subscriptionId, Seats, ct), "Seat counts were saved.", ct);

    public Task<IActionResult> OnPostDeliveryAsync(Guid id, Guid subscriptionId, CancellationToken ct) =>
        RunAsync(id, async () => (await subscriptions.RecordDeliveryAsync(id, subscriptionId, ProductId ?? Guid.Empty, SerialNumber, ct)).Failure,
            $"Delivery of serial number {SerialNumber?.Trim()} was recorded.", ct);

    public Task<IActionResult> OnPostCancelAsync(Guid id, Guid subscriptionId, CancellationToken ct) =>
        RunAsync(id, () => subscriptions.CancelAsync(id, subscriptionId, immediately: true, ct), "The subscription was cancelled.", ct);

    public Task<IActionResult> OnPostPauseAsync(Guid id, Guid subscriptionId, CancellationToken ct) =>
        RunAsync(id, () => subscriptions.PauseAsync(id, subscriptionId, ct), "The subscription was paused.", ct);

    public Task<IActionResult> OnPostResumeAsync(Guid id, Guid subscriptionId, CancellationToken ct) =>
        RunAsync(id, () => subscriptions.ResumeAsync(id, subscriptionId, ct), "The subscription was resumed; the paused days were added to its term.", ct);

    private Task<IActionResult> RunAsync(Guid id, Func<Task<Result<Subscription>>> change, string done, CancellationToken ct) =>
        RunAsync(id, async () => (await change()).Failure, done, ct);

    private async Task<IActionResult> RunAsync(Guid id, Func<Task<Failure?>> change, string done, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        ModelState.Clear();
        if (await change() is { } failure)
        {
            switch (failure.Kind)
            {
                case FailureKind.NotFound: return NotFound();
                case FailureKind.Forbidden: return Forbid();
                default:
                    // Each subscription has its own forms: the message goes on top rather than beside one of them.
                    foreach (var message in failure.Errors?.SelectMany(e => e.Value) ?? [failure.Message])
                        ModelState.AddModelError("", message);
                    db.ChangeTracker.Clear();
                    await LoadAsync(id, ct);
                    return Page();
            }
        }
        TempData["Flash"] = done;
        return Redirect($"/console/organizations/{id}/subscriptions");
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        var organization = await db.Organizations.AsNoTracking().SingleOrDefaultAsync(o => o.Id == id, ct);
        if (organization is null) return false;
        Organization = organization;
        Subscriptions = await db.Subscriptions.AsNoTracking().Include(s => s.Items)
            .Where(s => s.OrganizationId == id)
            .OrderBy(s => s.Status == SubscriptionStatus.Cancelled || s.Status == SubscriptionStatus.Expired).ThenBy(s => s.UnitLabel).ThenBy(s => s.CreatedAt)
            .ToListAsync(ct);
        var planIds = Subscriptions.Select(s => s.PlanId).Concat(Subscriptions.SelectMany(s => s.Items).Where(i => i.PlanId != null).Select(i => i.PlanId!.Value)).Distinct().ToList();
        Plans = await db.Plans.AsNoTracking().Include(p => p.SeatTypes).Where(p => planIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, ct);
        var assigned = new Dictionary<Guid, Dictionary<Guid, int>>();
        foreach (var subscription in Subscriptions.Where(s => Plans[s.PlanId].HasSeatTypes))
            assigned[subscription.Id] = await db.AssignedSeatsAsync(subscription.Id, ct);
        Assigned = assigned;
        PhysicalGoods = await db.Products.AsNoTracking().Where(p => p.Kind == ProductKind.PhysicalGood && p.OperatorId == organization.OperatorId)
            .OrderBy(p => p.Name).ToListAsync(ct);
        return true;
    }
}
