using System.ComponentModel.DataAnnotations;
using Accrue.Domain.Support;
using Accrue.Web.Data;
using Accrue.Web.Features.Portal.Subscriptions;
using Accrue.Web.Features.Shared;
using Accrue.Web.Features.Support;
using Accrue.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Accrue.Web.Features.Portal.Support;

/// <summary>Raise a ticket (seed 004): what kind of issue, what happened, optionally which subscription, with files.</summary>
[RequestSizeLimit(TicketUploads.MaxRequestBody)]
[RequestFormLimits(MultipartBodyLengthLimit = TicketUploads.MaxRequestBody)]
public sealed class NewModel(TicketCommands tickets, AccrueDb db, PortalContext portal) : PageModel
{
    [BindProperty, Display(Name = "Type")] public Guid? TypeId { get; set; }
    [BindProperty] public string? Subject { get; set; }
    [BindProperty, Display(Name = "Description")] public string? Body { get; set; }
    [BindProperty, Display(Name = "Related subscription")] public Guid? SubscriptionId { get; set; }
    [BindProperty] public List<IFormFile> Attachments { get; set; } = [];

    public IReadOnlyList<TicketType> Types { get; private set; } = [];
    public IReadOnlyList<(Guid Id, string Name)> Subscriptions { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => await LoadChoicesAsync(ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var organization = await portal.OrganizationAsync();
        var uploads = await TicketUploads.ReadAsync(Attachments, ct);
        // An unreadable type id (a tampered form) is the same as none chosen: the use case says so beside the field.
        var result = await tickets.RaiseAsync(organization.Id, new NewTicket(TypeId ?? Guid.Empty, Subject ?? "", Body ?? "", SubscriptionId), uploads, ct);
        if (result.Failed(out var failure))
        {
            ModelState.Clear();
            if (failure.Kind is Domain.Common.FailureKind.NotFound or Domain.Common.FailureKind.Forbidden) return failure.ToPageResult(this);
            failure.AddTo(ModelState, "");
            await LoadChoicesAsync(ct);
            return Page();
        }
        TempData["Flash"] = $"Ticket #{result.Value.Number} was raised. We will answer here and by email.";
        return Redirect($"/portal/support/{result.Value.Id}");
    }

    private async Task LoadChoicesAsync(CancellationToken ct)
    {
        Types = await tickets.ActiveTypesAsync(ct);
        var organization = await portal.OrganizationAsync();
        Subscriptions = (await db.SubscriptionViewsAsync(organization.Id, ct))
            .OrderBy(v => v.Name).Select(v => (v.Subscription.Id, $"{v.Name} ({v.Subscription.Status})")).ToList();
    }
}
