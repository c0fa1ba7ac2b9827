using System.Text.RegularExpressions;
using Accrue.Web.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Console.Mail;

public sealed partial class DetailModel(AccrueDb db) : PageModel
{
    /// <summary>
    /// The body as staff may read it. Links in sent mail carry live single-use tokens (password reset,
    /// invitation) that would let whoever reads the log take over the account, so they are hidden; mail
    /// written to files because no SMTP server is configured reached nobody, and the log is how the
    /// operator delivers it, so it is shown whole.
    /// </summary>
    public string Body => Message.Status == OutboxStatus.WrittenToFile ? Message.TextBody : Token().Replace(Message.TextBody, "token=(hidden)");

    [GeneratedRegex(@"token=[^\s&]+")]
    private static partial Regex Token();

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
