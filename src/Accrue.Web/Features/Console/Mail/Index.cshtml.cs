using Accrue.Web.Data;
using Accrue.Web.Features.Shared;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Console.Mail;

/// <summary>The mail log: every outbox message, newest first, with how its delivery went.</summary>
public sealed class IndexModel(AccrueDb db) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? To { get; set; }
    [BindProperty(SupportsGet = true)] public OutboxStatus? Status { get; set; }
    /// <summary>The "page" query value, read by hand: "page" is the route value that names a Razor Page, so it cannot be bound.</summary>
    public int PageNumber => int.TryParse(Request.Query["page"], System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : 1;

    public Paged<MailRow> Results { get; private set; } = new([], 1, PagingExtensions.PageSize, 0);
    public bool IsFiltered => !string.IsNullOrWhiteSpace(To) || Status is not null;

    public async Task OnGetAsync(CancellationToken ct)
    {
        var query = db.VisibleOutbox().AsNoTracking().Filter(To, Status);
        Results = await query.OrderByDescending(m => m.CreatedAt).ThenByDescending(m => m.Id)
            .Select(m => new MailRow(m.Id, m.To, m.Subject, m.Template, m.Status, m.Attempts, m.LastError, m.CreatedAt, m.SentAt, m.FilePath))
            .ToPagedAsync(PageNumber, ct);
    }
}

public sealed record MailRow(Guid Id, string To, string Subject, string Template, OutboxStatus Status, int Attempts, string? LastError, DateTimeOffset CreatedAt, DateTimeOffset? SentAt, string? FilePath);
