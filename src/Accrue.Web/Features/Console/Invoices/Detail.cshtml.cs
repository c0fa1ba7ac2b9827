using Accrue.Domain.Invoices;
using Accrue.Web.Data;
using Accrue.Web.Features.Invoices;
using Accrue.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Console.Invoices;

/// <summary>One invoice or credit note; an invoice can be corrected by crediting some of its lines (DESIGN §2).</summary>
public sealed class DetailModel(AccrueDb db, Invoicing invoicing) : PageModel
{
    public Invoice Invoice { get; private set; } = null!;
    public string OrganizationName { get; private set; } = "";
    public IReadOnlyList<Invoice> CreditNotes { get; private set; } = [];
    public string? CorrectsNumber { get; private set; }
    public string? OrderReference { get; private set; }
    /// <summary>Line descriptions already credited: those lines can't be credited again.</summary>
    public IReadOnlySet<string> Credited { get; private set; } = new HashSet<string>();

    [BindProperty] public List<int> Lines { get; set; } = [];
    [BindProperty] public string? Reason { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct) =>
        await LoadAsync(id, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostCreditAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        ModelState.Clear();
        var credited = await invoicing.CreditAsync(id, Lines, Reason, ct);
        if (credited.Failed(out var failure)) return failure.ToPageResult(this, "");
        TempData["Flash"] = $"Credit note {credited.Value.Number} was issued for {Invoice.Number}.";
        return Redirect($"/console/invoices/{credited.Value.Id}");
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        var invoice = await db.Invoices.AsNoTracking().Include(i => i.Events).SingleOrDefaultAsync(i => i.Id == id, ct);
        if (invoice is null) return false;
        Invoice = invoice;
        OrganizationName = await db.Organizations.AsNoTracking().Where(o => o.Id == invoice.OrganizationId).Select(o => o.Name).SingleAsync(ct);
        CreditNotes = await db.Invoices.AsNoTracking().Where(c => c.CorrectsInvoiceId == id).OrderBy(c => c.Sequence).ToListAsync(ct);
        Credited = CreditNotes.SelectMany(c => c.Lines).Select(l => l.Description).ToHashSet(StringComparer.Ordinal);
        CorrectsNumber = invoice.CorrectsInvoiceId is { } corrects
            ? await db.Invoices.AsNoTracking().Where(i => i.Id == corrects).Select(i => i.Number).SingleOrDefaultAsync(ct)
            : null;
        var orderNumber = invoice.OrderId is { } orderId
            ? await db.Orders.AsNoTracking().Where(o => o.Id == orderId).Select(o => (long?)o.Number).SingleOrDefaultAsync(ct)
            : null;
        OrderReference = orderNumber is { } number ? Domain.Orders.Order.FormatNumber(number) : null;
        return true;
    }

    public bool IsCredited(int index) => Credited.Contains($"Credit: {Invoice.Lines[index].Description}");
}
