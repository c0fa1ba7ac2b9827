using System.IO.Compression;
using System.Text.Json;
using Accrue.Domain.Accounts;
using Accrue.Domain.Common;
using Accrue.Web.Data;
using Accrue.Web.Features.Invoices;
using Accrue.Web.Features.Members;
using Accrue.Web.Features.Orders;
using Accrue.Web.Features.Subscriptions;
using Accrue.Web.Features.Support;
using Accrue.Web.Features.Wallet;
using Accrue.Web.Infrastructure.Pdf;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Accrue.Web.Features.Organizations;

/// <summary>Everything an organization's export holds, written as the API writes it (amounts as decimal strings).</summary>
public sealed record AccountExportDocument(
    DateTimeOffset ExportedAt,
    OrganizationResponse Organization,
    IReadOnlyList<MemberResponse> Members,
    IReadOnlyList<SubscriptionResponse> Subscriptions,
    IReadOnlyList<OrderResponse> Orders,
    IReadOnlyList<InvoiceResponse> Invoices,
    IReadOnlyList<PaymentResponse> Payments,
    IReadOnlyList<WalletEntryResponse> WalletEntries,
    IReadOnlyList<ExportedTicket> Tickets);

/// <summary>A ticket with the messages its customer saw (staff's internal notes stay out).</summary>
public sealed record ExportedTicket(TicketResponse Ticket, IReadOnlyList<TicketMessageResponse> Messages);

/// <summary>A ZIP ready to download.</summary>
public sealed record ExportFile(byte[] Content, string FileName);

/// <summary>
/// The organization's data as a ZIP before it is deleted (seed 001; decision 0014): <c>organization.json</c> and
/// every invoice and credit note as the PDF the portal serves. The Owner downloads it from the portal, staff from
/// the console; the tenant filter keeps everyone else's organizations out (a 404).
/// </summary>
public sealed class AccountExport(AccrueDb db, InvoicePdf pdf, TimeProvider clock, IOptions<JsonOptions> json)
{
    public const string JsonEntry = "organization.json";

    public async Task<Result<ExportFile>> ExportAsync(Guid id, CancellationToken ct = default)
    {
        var organization = await db.Organizations.AsNoTracking().SingleOrDefaultAsync(o => o.Id == id, ct);
        if (organization is null) return Failure.NotFound("Organization");
        var memberId = db.Actor.MemberId;
        if (db.Actor.IsInOrganization && !await db.Members.AnyAsync(m => m.Id == memberId && m.Role == MemberRole.Owner, ct))
            return Failure.Forbidden("Only the Owner downloads the organization's data.");

        var members = await db.Members.AsNoTracking().Include(m => m.Department).Where(m => m.OrganizationId == id).OrderBy(m => m.CreatedAt).ToListAsync(ct);
        var subscriptions = await db.Subscriptions.AsNoTracking().Include(s => s.Items).Where(s => s.OrganizationId == id).OrderBy(s => s.CreatedAt).ToListAsync(ct);
        var orders = await db.Orders.AsNoTracking().Include(o => o.Events).Where(o => o.OrganizationId == id).OrderBy(o => o.CreatedAt).ToListAsync(ct);
        var invoices = await db.Invoices.AsNoTracking().Where(i => i.OrganizationId == id).OrderBy(i => i.IssuedOn).ThenBy(i => i.Number).ToListAsync(ct);
        var payments = await db.Payments.AsNoTracking().Where(p => p.OrganizationId == id).OrderBy(p => p.CreatedAt).ToListAsync(ct);
        var entries = await db.WalletEntries.AsNoTracking().Where(e => e.OrganizationId == id).OrderBy(e => e.Sequence).ToListAsync(ct);
        var tickets = await db.Tickets.AsNoTracking().Include(t => t.Messages.Where(m => !m.Internal).OrderBy(m => m.At)).ThenInclude(m => m.Attachments)
            .Where(t => t.OrganizationId == id).OrderBy(t => t.Number).ToListAsync(ct);

        var document = new AccountExportDocument(
            clock.GetUtcNow(),
            OrganizationResponse.From(organization),
            members.Select(MemberResponse.From).ToList(),
            await db.DescribeAsync(subscriptions, clock, ct),
            orders.Select(OrderResponse.From).ToList(),
            invoices.Select(InvoiceResponse.From).ToList(),
            payments.Select(PaymentResponse.From).ToList(),
            entries.Select(WalletEntryResponse.From).ToList(),
            tickets.Select(t => new ExportedTicket(TicketResponse.From(t), t.Messages.Select(TicketMessageResponse.From).ToList())).ToList());

        using var zip = new MemoryStream();
        using (var archive = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true))
        {
            using (var entry = archive.CreateEntry(JsonEntry).Open())
                JsonSerializer.Serialize(entry, document, new JsonSerializerOptions(json.Value.SerializerOptions) { WriteIndented = true });
            foreach (var invoice in invoices)
            {
                var bytes = await InvoiceFiles.RenderAsync(db, pdf, invoice, ct);
                using var entry = archive.CreateEntry(PdfEntry(invoice.Number)).Open();
                entry.Write(bytes);
            }
        }
        return new ExportFile(zip.ToArray(), $"organization-export-{clock.GetUtcNow():yyyy-MM-dd}.zip");
    }

    public static string PdfEntry(string invoiceNumber) => $"invoices/{invoiceNumber}.pdf";
}
