using Accrue.Web.Data;
using Accrue.Web.Features.Invoices;
using Accrue.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Console.Invoices;

/// <summary>The operator's invoice and credit note number prefixes, and the seller printed on invoices.</summary>
public sealed class NumberingModel(AccrueDb db, Invoicing invoicing) : PageModel
{
    [BindProperty] public string? InvoicePrefix { get; set; }
    [BindProperty] public string? CreditNotePrefix { get; set; }
    [BindProperty] public string? LegalName { get; set; }
    [BindProperty] public string? LegalAddress { get; set; }
    [BindProperty] public string? TaxRegistration { get; set; }
    public bool CanEdit => db.Actor.IsOperator;

    public async Task OnGetAsync(CancellationToken ct)
    {
        var op = await db.Operators.AsNoTracking().FirstAsync(ct);
        (InvoicePrefix, CreditNotePrefix) = (op.InvoicePrefix, op.CreditNotePrefix);
        (LegalName, LegalAddress, TaxRegistration) = (op.LegalName, op.LegalAddress, op.TaxRegistration);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        ModelState.Clear();
        var saved = await invoicing.SetPrefixesAsync(InvoicePrefix, CreditNotePrefix, ct);
        if (saved.Failed(out var failure)) return failure.ToPageResult(this, "");
        TempData["Flash"] = "Invoice numbering saved; the next invoice uses the new prefix.";
        return Redirect("/console/invoices/numbering");
    }

    public async Task<IActionResult> OnPostSellerAsync(CancellationToken ct)
    {
        ModelState.Clear();
        var saved = await invoicing.SetSellerAsync(LegalName, LegalAddress, TaxRegistration, ct);
        if (saved.Failed(out var failure))
        {
            var op = await db.Operators.AsNoTracking().FirstAsync(ct);
            (InvoicePrefix, CreditNotePrefix) = (op.InvoicePrefix, op.CreditNotePrefix);
            return failure.ToPageResult(this, "");
        }
        TempData["Flash"] = "Seller details saved; every invoice PDF shows them.";
        return Redirect("/console/invoices/numbering");
    }
}
