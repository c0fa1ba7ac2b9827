using Accrue.Domain.Accounts;
using Accrue.Domain.Billing;
using Accrue.Domain.Common;
using Accrue.Domain.Invoices;
using Accrue.Domain.Orders;
using Accrue.Web.Data;
using Accrue.Web.Features.Webhooks;
using Accrue.Web.Infrastructure.Auditing;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Invoices;

/// <summary>
/// Issues invoices and credit notes. Numbers come from a per-operator counter taken inside the
/// caller's transaction, so a committed invoice never leaves a gap (DESIGN §2).
/// </summary>
public sealed class Invoicing(AccrueDb db, TimeProvider clock)
{
    /// <summary>
    /// The invoice for a succeeded order, paid at once; a downgrade whose credit outweighs the new
    /// plan gets a credit note instead. A postpaid organization's order is billed instead (seed 004,
    /// "billed as normal"): the invoice stays Open, due after the organization's payment terms.
    /// Runs inside the caller's transaction.
    /// </summary>
    internal async Task<Invoice> IssueForOrderAsync(Order order, Organization organization, string? taxNote, CancellationToken ct, bool billed = false)
    {
        var op = await db.Operators.SingleAsync(o => o.Id == organization.OperatorId, ct);
        var kind = order.Total < 0 ? InvoiceKind.CreditNote : InvoiceKind.Invoice;
        var (counter, prefix) = kind == InvoiceKind.Invoice ? ("invoice", op.InvoicePrefix) : ("credit-note", op.CreditNotePrefix);
        var sequence = await db.NextAsync($"{counter}:{op.Id}", ct);
        var invoice = Invoice.Issue(kind, $"{prefix}{sequence:D6}", sequence,
            new Quote(order.Currency, order.Lines), Party(organization, op), Today(organization), taxNote);
        invoice.OrderId = order.Id;
        if (kind == InvoiceKind.CreditNote) invoice.Reason = $"Unused part of the previous plan: {order.Description}";
        else if (billed)
        {
            invoice.DueOn = invoice.IssuedOn.AddDays(organization.PaymentTermsDays);
            invoice.Events.Add(new InvoiceEvent
            {
                OrganizationId = invoice.OrganizationId, InvoiceId = invoice.Id, Step = BillSteps.Issued, At = clock.GetUtcNow(),
                Note = $"Issued for order {order.Reference}, due on {invoice.DueOn:yyyy-MM-dd} ({organization.PaymentTermsDays} days' terms).",
            });
        }
        else invoice.MarkPaid(clock.GetUtcNow());
        db.Invoices.Add(invoice);
        order.InvoiceId = invoice.Id;
        await db.PublishWebhookAsync(invoice.OrganizationId, WebhookEvents.InvoiceIssued, WebhookData.Invoice(invoice), ct);
        if (invoice.Status == InvoiceStatus.Paid)
            await db.PublishWebhookAsync(invoice.OrganizationId, WebhookEvents.InvoicePaid, WebhookData.Invoice(invoice), ct);
        return invoice;
    }

    /// <summary>
    /// A credit note for some lines of an invoice (DESIGN §2: corrections are credit notes, never
    /// edits). Operator staff only; each line can be credited once.
    /// </summary>
    public async Task<Result<Invoice>> CreditAsync(Guid invoiceId, IReadOnlyList<int> lines, string? reason, CancellationToken ct = default)
    {
        if (!db.Actor.IsStaff && !db.Actor.IsOperator) return Failure.Forbidden("Only operator staff issue credit notes.");
        var invoice = await db.Invoices.SingleOrDefaultAsync(i => i.Id == invoiceId && i.Kind == InvoiceKind.Invoice, ct);
        if (invoice is null) return Failure.NotFound("Invoice");
        var errors = new FieldErrors().Require("Reason", reason, "Reason", 500);
        if (lines.Count == 0 || lines.Any(i => i < 0 || i >= invoice.Lines.Count)) errors.Add("Lines", "Choose at least one line of the invoice to credit.");
        if (errors.Any) return errors.ToFailure();

        var credited = await db.Invoices.Where(c => c.CorrectsInvoiceId == invoiceId).Select(c => c.Lines).ToListAsync(ct);
        var already = credited.SelectMany(l => l).Select(l => l.Description).ToHashSet(StringComparer.Ordinal);
        var quote = invoice.CreditFor(lines);
        if (quote.Lines.Any(l => already.Contains(l.Description)))
            return Failure.Conflict("One of these lines has already been credited.") with { Code = "line_already_credited" };

        var organization = await db.Organizations.SingleAsync(o => o.Id == invoice.OrganizationId, ct);
        var op = await db.Operators.SingleAsync(o => o.Id == invoice.OperatorId, ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var sequence = await db.NextAsync($"credit-note:{op.Id}", ct);
        var note = Invoice.Issue(InvoiceKind.CreditNote, $"{op.CreditNotePrefix}{sequence:D6}", sequence, quote, Party(organization, op), Today(organization), invoice.TaxNote);
        note.CorrectsInvoiceId = invoice.Id;
        note.Reason = reason!.Trim();
        db.Invoices.Add(note);
        db.Audit("Invoice.Credited", nameof(Invoice), invoice.Id, invoice.OrganizationId, new { note.Number, note.Total, note.Reason });
        await db.PublishWebhookAsync(note.OrganizationId, WebhookEvents.InvoiceIssued, WebhookData.Invoice(note), ct);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return note;
    }

    /// <summary>
    /// The operator's invoice and credit note prefixes. The numbers after them keep running, so a new
    /// prefix never reuses or skips a number.
    /// </summary>
    public async Task<Result<Operator>> SetPrefixesAsync(string? invoicePrefix, string? creditNotePrefix, CancellationToken ct = default)
    {
        if (!db.Actor.IsOperator) return Failure.Forbidden("Only operator staff change invoice numbering.");
        var errors = new FieldErrors();
        CheckPrefix(errors, "InvoicePrefix", invoicePrefix, "Invoice prefix");
        CheckPrefix(errors, "CreditNotePrefix", creditNotePrefix, "Credit note prefix");
        if (!errors.Any && invoicePrefix!.Trim() == creditNotePrefix!.Trim())
            errors.Add("CreditNotePrefix", "Credit notes need a prefix of their own, so their numbers never meet invoice numbers.");
        if (errors.Any) return errors.ToFailure();
        var op = await db.Operators.FirstAsync(ct);
        (op.InvoicePrefix, op.CreditNotePrefix) = (invoicePrefix!.Trim(), creditNotePrefix!.Trim());
        await db.SaveChangesAsync(ct);
        return op;
    }

    /// <summary>
    /// The seller's legal name, address and tax registration printed on every invoice. Name and
    /// address are required; the tax registration may be empty for a seller that has none.
    /// </summary>
    public async Task<Result<Operator>> SetSellerAsync(string? legalName, string? legalAddress, string? taxRegistration, CancellationToken ct = default)
    {
        if (!db.Actor.IsOperator) return Failure.Forbidden("Only operator staff change the seller on invoices.");
        var errors = new FieldErrors()
            .Require("LegalName", legalName, "Legal name", 200)
            .Require("LegalAddress", legalAddress, "Address", 500)
            .Limit("TaxRegistration", taxRegistration?.Trim(), "Tax registration", 60);
        if (legalAddress is not null && legalAddress.ReplaceLineEndings("\n").Split('\n').Count(l => l.Trim().Length > 0) > 5)
            errors.Add("LegalAddress", "Address must fit on at most 5 lines.");
        if (errors.Any) return errors.ToFailure();
        var op = await db.Operators.FirstAsync(ct);
        op.LegalName = legalName!.Trim();
        op.LegalAddress = string.Join("\n", legalAddress!.ReplaceLineEndings("\n").Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0));
        op.TaxRegistration = taxRegistration?.Trim() ?? "";
        await db.SaveChangesAsync(ct);
        return op;
    }

    private static void CheckPrefix(FieldErrors errors, string field, string? prefix, string label)
    {
        errors.Require(field, prefix, label, 20);
        if (prefix is not null && !prefix.Trim().All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '/'))
            errors.Add(field, $"{label} may hold letters, digits, '-', '_' and '/'.");
    }

    private static InvoiceParty Party(Organization o, Operator op) =>
        new(o.OperatorId, o.Id, o.BillingName, o.BillingAddress.ToString(), o.Country, Seller(op));

    /// <summary>The seller's details as they are now, for the invoice being issued.</summary>
    public static InvoiceSeller Seller(Operator op) => new(op.LegalName, op.LegalAddress, op.TaxRegistration);

    private DateOnly Today(Organization organization) => organization.Today(clock);
}
