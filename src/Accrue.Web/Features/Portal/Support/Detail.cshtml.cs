using Accrue.Domain.Common;
using Accrue.Web.Features.Support;
using Accrue.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Accrue.Web.Features.Portal.Support;

/// <summary>
/// One ticket as the customer sees it: the thread without internal notes, the attachments, a reply
/// form, and Close / Reopen. Another organization's ticket (or one the member may not see) is a 404.
/// </summary>
[RequestSizeLimit(TicketUploads.MaxRequestBody)]
[RequestFormLimits(MultipartBodyLengthLimit = TicketUploads.MaxRequestBody)]
public sealed class DetailModel(TicketCommands tickets) : PageModel
{
    public TicketView View { get; private set; } = null!;

    [BindProperty] public string? Body { get; set; }
    [BindProperty] public List<IFormFile> Attachments { get; set; } = [];

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct) => await ShowAsync(id, ct) ?? Page();

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        var uploads = await TicketUploads.ReadAsync(Attachments, ct);
        var result = await tickets.ReplyAsync(id, Body, uploads, ct: ct);
        if (result.Failed(out var failure)) return await FailAsync(id, failure, ct);
        TempData["Flash"] = "Your reply was sent.";
        return Redirect($"/portal/support/{id}");
    }

    public async Task<IActionResult> OnPostCloseAsync(Guid id, CancellationToken ct)
    {
        var result = await tickets.CloseAsync(id, ct);
        if (result.Failed(out var failure)) return await FailAsync(id, failure, ct);
        TempData["Flash"] = $"Ticket #{result.Value.Number} is closed. Reopen it if you need us again.";
        return Redirect($"/portal/support/{id}");
    }

    public async Task<IActionResult> OnPostReopenAsync(Guid id, CancellationToken ct)
    {
        var result = await tickets.ReopenAsync(id, ct);
        if (result.Failed(out var failure)) return await FailAsync(id, failure, ct);
        TempData["Flash"] = $"Ticket #{result.Value.Number} is open again.";
        return Redirect($"/portal/support/{id}");
    }

    private async Task<IActionResult?> ShowAsync(Guid id, CancellationToken ct)
    {
        var found = await tickets.FindAsync(id, ct);
        if (!found.Succeeded) return NotFound();
        View = found.Value;
        return null;
    }

    /// <summary>404 and 403 as such; a conflict (a closed ticket) as 409 with the thread and the reason; field errors beside the form.</summary>
    private async Task<IActionResult> FailAsync(Guid id, Failure failure, CancellationToken ct)
    {
        if (failure.Kind is FailureKind.NotFound or FailureKind.Forbidden) return failure.ToPageResult(this, "");
        if (await ShowAsync(id, ct) is { } missing) return missing;
        ModelState.Clear();
        failure.AddTo(ModelState, "");
        if (failure.Kind == FailureKind.Conflict) Response.StatusCode = StatusCodes.Status409Conflict;
        return Page();
    }
}
