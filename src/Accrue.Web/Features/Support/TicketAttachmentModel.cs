using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Net.Http.Headers;

namespace Accrue.Web.Features.Support;

/// <summary>
/// An attachment of a ticket the actor may see, for the portal's and the console's download pages.
/// Always a download, in the type its content was recognised as and never sniffed by the browser, so
/// an uploaded file cannot render as a page of the app.
/// </summary>
public sealed class TicketAttachmentModel(TicketCommands tickets) : PageModel
{
    public async Task<IActionResult> OnGetAsync(Guid id, Guid attachmentId, CancellationToken ct)
    {
        var attachment = await tickets.AttachmentAsync(id, attachmentId, ct);
        if (attachment is null) return NotFound();
        Response.Headers[HeaderNames.XContentTypeOptions] = "nosniff";
        return File(attachment.Content, attachment.ContentType, attachment.FileName);
    }
}
