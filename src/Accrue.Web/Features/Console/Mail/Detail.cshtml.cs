using Accrue.Web.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Console.Mail;

public sealed class DetailModel(AccrueDb db) : PageModel
{
    /// <summary>The body as staff may read it (<see cref="MailQueries.ReadableBody"/>).</summary>
    public string Body => MailQueries.ReadableBody(Message);

    public OutboxMessage Message { get; private set; } = null!;
    public string? OrganizationName { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        var message = await db.VisibleOutbox().AsNoTracking().SingleOrDefaultAsync(m => m.Id == id, ct);
        if (message is null) return NotFound();
        Message = message;
        OrganizationName = await db.Organizations.Where(o => o.Id == message.OrganizationId).Select(o => o.Name).FirstOrDefaultAsync(ct);
        return Page();
    }
}
