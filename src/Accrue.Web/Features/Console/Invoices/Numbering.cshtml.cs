using Accrue.Web.Data;
using Accrue.Web.Features.Invoices;
using Accrue.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Console.Invoices;

/// <summary>The operator's invoice and credit note number prefixes.</summary>
public sealed class NumberingModel(AccrueDb db, Invoicing invoicing) : PageModel
{
    [BindProperty] public string? InvoicePrefix { get; set; }
    [BindProperty] public string? CreditNotePrefix { get; set; }
    public bool CanEdit => db.Actor.IsOperator;

    public async Task OnGetAsync(CancellationToken ct)
    {
        var op = await db.Operators.AsNoTracking().FirstAsync(ct);
        (InvoicePrefix, CreditNotePrefix) = (op.InvoicePrefix, op.CreditNotePrefix);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        ModelState.Clear();
        var saved = await invoicing.SetPrefixesAsync(InvoicePrefix, CreditNotePrefix, ct);
        if (saved.Failure is { } failure) return failure.ToPageResult(this, "");
        TempData["Flash"] = "Invoice numbering saved; the next invoice uses the new prefix.";
        return Redirect("/console/invoices/numbering");
    }
}
