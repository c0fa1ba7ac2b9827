using Accrue.Web.Features.Support;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Net.Http.Headers;

namespace Accrue.Web.Features.Portal.Support;

/// <summary>
/// Downloads an attachment of a ticket the member may see. Always as a download, with the type its
/// content was recognised as and nosniff, so an uploaded file never renders inside the portal.
/// </summary>
public sealed class AttachmentModel(TicketCommands tickets) : PageModel
{
    public async Task<IActionResult> OnGetAsync(Guid id, Guid attachmentId, CancellationToken ct)
    {
        var attachment = await tickets.AttachmentAsync(id, attachmentId, ct);
        if (attachment is null) return NotFound();
        Response.Headers[HeaderNames.XContentTypeOptions] = "nosniff";
        return File(attachment.Content, attachment.ContentType, attachment.FileName);
    }
}
