using Accrue.Web.Features.Support;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Net.Http.Headers;

namespace Accrue.Web.Features.Console.Support;

/// <summary>
/// An attachment's bytes, always as a download with the type its content was recognised as, and
/// never sniffed by the browser: an uploaded file must not run as a page of the console.
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
