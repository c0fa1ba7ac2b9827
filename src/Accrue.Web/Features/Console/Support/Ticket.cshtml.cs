using Accrue.Domain.Common;
using Accrue.Domain.Support;
using Accrue.Web.Data;
using Accrue.Web.Features.Support;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Console.Support;

/// <summary>
/// One ticket for staff: the whole thread with internal notes, the reply form (a reply the customer
/// sees, or an internal note), and the forms that assign it and set its status and priority. Every
/// change goes through <see cref="TicketCommands"/>, which also sends the customer's emails.
/// </summary>
[RequestSizeLimit(TicketUploads.MaxRequestBody)]
[RequestFormLimits(MultipartBodyLengthLimit = TicketUploads.MaxRequestBody)]
public sealed class TicketModel(AccrueDb db, TicketCommands tickets, SupportSetupCommands setup, TimeProvider clock) : PageModel
{
    /// <summary>The reply form's fields keep these names: the browser journeys fill them in.</summary>
    [BindProperty] public string? Body { get; set; }
    [BindProperty] public bool Internal { get; set; }
    [BindProperty] public TicketStatus? StatusAfter { get; set; }
    [BindProperty] public List<IFormFile> Attachments { get; set; } = [];

    public TicketView View { get; private set; } = null!;
    public Ticket Ticket => View.Ticket;
    public string? RaisedByEmail { get; private set; }
    public (Guid Id, string Plan)? Subscription { get; private set; }
    public IReadOnlyList<StaffUser> Staff { get; private set; } = [];
    public Guid? Me => db.Actor.UserId;
    public DateTimeOffset Now { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct) =>
        await LoadAsync(id, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostReplyAsync(Guid id, CancellationToken ct)
    {
        var uploads = await TicketUploads.ReadAsync(Attachments, ct);
        var replied = await tickets.ReplyAsync(id, Body, uploads, Internal, StatusAfter, ct);
        if (replied.Failed(out var failure)) return await FailAsync(id, failure, ct);
        TempData["Flash"] = Internal ? "Your internal note was added." : "Your reply was sent to the customer.";
        return Redirect($"/console/support/{id}");
    }

    public async Task<IActionResult> OnPostAssignAsync(Guid id, Guid? assigneeUserId, CancellationToken ct)
    {
        var assigned = await tickets.AssignAsync(id, assigneeUserId, ct);
        if (assigned.Failed(out var failure)) return await FailAsync(id, failure, ct);
        TempData["Flash"] = assigned.Value.AssigneeName is { } name ? $"Ticket #{assigned.Value.Number} is assigned to {name}." : $"Ticket #{assigned.Value.Number} is unassigned.";
        return Redirect($"/console/support/{id}");
    }

    public async Task<IActionResult> OnPostStatusAsync(Guid id, TicketStatus? status, CancellationToken ct)
    {
        if (status is null) return await FailAsync(id, Failure.Invalid("Status", "Choose a status."), ct);
        var changed = await tickets.ChangeStatusAsync(id, status.Value, ct);
        if (changed.Failed(out var failure)) return await FailAsync(id, failure, ct);
        TempData["Flash"] = $"Ticket #{changed.Value.Number} is now {TicketCommands.Label(changed.Value.Status)}; the customer was told.";
        return Redirect($"/console/support/{id}");
    }

    public async Task<IActionResult> OnPostPriorityAsync(Guid id, TicketPriority? priority, CancellationToken ct)
    {
        if (priority is null || !Enum.IsDefined(priority.Value)) return await FailAsync(id, Failure.Invalid("Priority", "Choose a priority."), ct);
        var set = await tickets.SetPriorityAsync(id, priority.Value, ct);
        if (set.Failed(out var failure)) return await FailAsync(id, failure, ct);
        TempData["Flash"] = $"Ticket #{set.Value.Number} now has priority {set.Value.Priority}.";
        return Redirect($"/console/support/{id}");
    }

    private async Task<IActionResult> FailAsync(Guid id, Failure failure, CancellationToken ct)
    {
        if (failure.Kind == FailureKind.NotFound || !await LoadAsync(id, ct)) return NotFound();
        if (failure.Kind == FailureKind.Forbidden) return Forbid();
        // The reply form's fields show their own errors; anything else (a status refused, an assignee unknown) goes above the page.
        string[] replyFields = [nameof(Body), nameof(Attachments)];
        if (failure.Errors is null || failure.Errors.Count == 0) ModelState.AddModelError(string.Empty, failure.Message);
        else
            foreach (var (field, messages) in failure.Errors)
                foreach (var message in messages)
                    ModelState.AddModelError(replyFields.Contains(field) ? field : field == "Status" ? nameof(StatusAfter) : string.Empty, message);
        Response.StatusCode = failure.Kind == FailureKind.Conflict ? StatusCodes.Status409Conflict : StatusCodes.Status400BadRequest;
        return Page();
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        var found = await tickets.FindAsync(id, ct);
        if (!found.Succeeded) return false;
        View = found.Value;
        Now = clock.GetUtcNow();
        if (Ticket.RaisedByMemberId is { } memberId)
            RaisedByEmail = await db.Members.AsNoTracking().Where(m => m.Id == memberId).Select(m => m.Email).SingleOrDefaultAsync(ct);
        if (Ticket.SubscriptionId is { } subscriptionId)
        {
            var plan = await db.Subscriptions.AsNoTracking().Where(s => s.Id == subscriptionId)
                .Select(s => db.Plans.Where(p => p.Id == s.PlanId).Select(p => p.Name).First()).SingleOrDefaultAsync(ct);
            Subscription = (subscriptionId, plan ?? "Subscription");
        }
        Staff = await setup.StaffWhoSeeAsync(Ticket.OrganizationId, ct);
        return true;
    }
}
