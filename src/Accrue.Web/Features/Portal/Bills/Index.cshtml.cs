using System.Globalization;
using Accrue.Domain.Accounts;
using Accrue.Domain.Invoices;
using Accrue.Domain.Orders;
using Accrue.Web.Data;
using Accrue.Web.Features.Bills;
using Accrue.Web.Features.Invoices;
using Accrue.Web.Features.Orders;
using Accrue.Web.Features.Shared;
using Accrue.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Portal.Bills;

/// <summary>
/// A postpaid organization's bills (seed 004: "view their full billing history and pay any
/// outstanding bills"): the open ones to pay together by card, and every invoice and credit note.
/// Reading needs View billing or Manage account; paying needs Manage account.
/// </summary>
[RequirePermission(Permissions.ManageAccount | Permissions.ViewBilling, AnyOf = true)]
public sealed class IndexModel(AccrueDb db, BillCommands bills, PortalContext portal, TimeProvider clock) : PageModel
{
    public IReadOnlyList<Invoice> Outstanding { get; private set; } = [];
    public InvoiceList History { get; private set; } = InvoiceList.Empty;
    public CardOnFile? CardOnFile { get; private set; }
    public bool CanPay { get; private set; }
    public DateOnly Today { get; private set; }

    [BindProperty] public List<Guid> InvoiceIds { get; set; } = [];
    [BindProperty] public CardForm Card { get; set; } = new();
    [BindProperty] public bool UseCardOnFile { get; set; }
    [BindProperty] public bool Acknowledged { get; set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostPayAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        ModelState.Clear();
        var organization = await portal.OrganizationAsync();
        var paid = await bills.PayAsync(organization.Id, new PayBillsRequest
        {
            InvoiceIds = InvoiceIds, Card = UseCardOnFile ? null : Card.ToInput(), UseCardOnFile = UseCardOnFile, Acknowledged = Acknowledged,
        }, ct);
        if (paid.Failed(out var failure))
        {
            if (failure.Kind == Domain.Common.FailureKind.Forbidden) return Forbid();
            failure.AddTo(ModelState, "");
            return Page();
        }
        var payment = paid.Value;
        var numbers = string.Join(", ", Outstanding.Where(i => payment.InvoiceIds.Contains(i.Id)).Select(i => i.Number));
        TempData["Flash"] = payment.Status switch
        {
            PaymentStatus.Succeeded => $"Paid {numbers}: thank you.",
            PaymentStatus.Declined => $"The payment for {numbers} was declined: {payment.Message ?? "try another card."} The bills are still open.",
            _ => $"The card processor did not answer for {numbers}. We check with the processor before anything is charged again.",
        };
        return Redirect("/portal/bills");
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var organization = await portal.OrganizationAsync();
        Today = organization.Today(clock);
        CanPay = await portal.CanAsync(Permissions.ManageAccount);
        Outstanding = await db.Invoices.AsNoTracking()
            .Where(i => i.Status == InvoiceStatus.Open && i.Kind == InvoiceKind.Invoice)
            .OrderBy(i => i.DueOn).ThenBy(i => i.Sequence).ToListAsync(ct);
        CardOnFile = await db.CardsOnFile.AsNoTracking().SingleOrDefaultAsync(ct);
        if (CardOnFile?.IsExpired(Today) == true) CardOnFile = null;
        var page = int.TryParse(Request.Query["page"], CultureInfo.InvariantCulture, out var n) ? n : 1;
        History = await InvoiceList.LoadAsync(db, db.Invoices, page, ct);
    }
}
