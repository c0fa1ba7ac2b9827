using Accrue.Domain.Accounts;
using Accrue.Domain.Invoices;
using Accrue.Domain.Orders;
using Accrue.Domain.Subscriptions;
using Accrue.Domain.Support;
using Accrue.Web.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Console.Organizations;

/// <summary>One organization at a glance, with shortcuts to its sections (seed 001).</summary>
public sealed class OverviewModel(AccrueDb db) : PageModel
{
    public Organization Organization { get; private set; } = null!;
    public string? PartnerName { get; private set; }
    public int MembersCount { get; private set; }
    public Member? Owner { get; private set; }
    public Domain.Orders.CardOnFile? Card { get; private set; }
    /// <summary>Prepaid: the wallet balance. Postpaid: the bills still open and what they add up to.</summary>
    public decimal WalletBalance { get; private set; }
    public int OpenBills { get; private set; }
    public decimal OpenBillsTotal { get; private set; }
    public int LiveSubscriptions { get; private set; }
    public int OpenTickets { get; private set; }
    public Domain.Orders.Payment? LastPayment { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        var organization = await db.Organizations.AsNoTracking().SingleOrDefaultAsync(o => o.Id == id, ct);
        if (organization is null) return NotFound();
        Organization = organization;
        PartnerName = await db.Partners.Where(p => p.Id == organization.PartnerId).Select(p => p.Name).FirstOrDefaultAsync(ct);
        MembersCount = await db.Members.CountAsync(m => m.OrganizationId == id, ct);
        Owner = await db.Members.AsNoTracking().FirstOrDefaultAsync(m => m.OrganizationId == id && m.Role == MemberRole.Owner, ct);
        Card = await db.CardsOnFile.AsNoTracking().SingleOrDefaultAsync(c => c.OrganizationId == id, ct);
        if (organization.BillingMode == BillingMode.Prepaid)
            WalletBalance = await db.Wallets.Where(w => w.OrganizationId == id).Select(w => (decimal?)w.Balance).FirstOrDefaultAsync(ct) ?? 0m;
        var open = await db.Invoices.Where(i => i.OrganizationId == id && i.Kind == InvoiceKind.Invoice && i.Status == InvoiceStatus.Open)
            .Select(i => i.Total).ToListAsync(ct);
        (OpenBills, OpenBillsTotal) = (open.Count, open.Sum());
        LiveSubscriptions = await db.Subscriptions.CountAsync(s => s.OrganizationId == id
            && (s.Status == SubscriptionStatus.Trial || s.Status == SubscriptionStatus.Active || s.Status == SubscriptionStatus.PastDue), ct);
        OpenTickets = await db.Tickets.CountAsync(t => t.OrganizationId == id && t.Status != TicketStatus.Resolved && t.Status != TicketStatus.Closed, ct);
        // SettledAt is a DateTimeOffset, which SQLite cannot order by: the latest is picked in memory.
        var succeeded = await db.Payments.AsNoTracking().Where(p => p.OrganizationId == id && p.Status == PaymentStatus.Succeeded && p.SettledAt != null).ToListAsync(ct);
        LastPayment = succeeded.MaxBy(p => p.SettledAt);
        return Page();
    }
}
