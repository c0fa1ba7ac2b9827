using Accrue.Domain.Billing;
using Accrue.Domain.Common;

namespace Accrue.Domain.Invoices;

public enum InvoiceKind { Invoice, CreditNote }

public enum InvoiceStatus { Open, Paid, Void }

/// <summary>
/// The legal record of a sale (DESIGN §2): immutable once issued, numbered without gaps per
/// operator, billed to the organization as it was at issue. Corrections are credit notes.
/// </summary>
public sealed class Invoice : Entity, IOrganizationOwned
{
    public Guid OperatorId { get; set; }
    public Guid OrganizationId { get; set; }
    public InvoiceKind Kind { get; set; }
    public required string Number { get; set; }
    public long Sequence { get; set; }
    public Guid? OrderId { get; set; }
    /// <summary>
    /// The subscription a billing-run renewal bills, and the first day of the period it bills: unique
    /// together, so a renewal is invoiced once however often the run crashes or runs at once.
    /// </summary>
    public Guid? SubscriptionId { get; set; }
    public DateOnly? PeriodStart { get; set; }
    /// <summary>The invoice a credit note corrects.</summary>
    public Guid? CorrectsInvoiceId { get; set; }
    public DateOnly IssuedOn { get; set; }
    public DateOnly? DueOn { get; set; }
    public InvoiceStatus Status { get; private set; }
    public DateTimeOffset? PaidAt { get; private set; }
    public required string BillingName { get; set; }
    public required string BillingAddress { get; set; }
    public required string Country { get; set; }
    public required string Currency { get; set; }
    public List<ChargeLine> Lines { get; set; } = [];
    public decimal Subtotal { get; set; }
    public decimal Tax { get; set; }
    public decimal Total { get; set; }
    /// <summary>Said on the invoice when the country has no tax rate (taxed at zero).</summary>
    public string? TaxNote { get; set; }
    public string? Reason { get; set; }
    /// <summary>The payment settling this bill, set when a payment starts so two payments can't both charge for it.</summary>
    public Guid? PaymentId { get; set; }
    /// <summary>
    /// The seller as the operator's settings gave it on the day of issue (issue 15 C30): an issued invoice
    /// never changes when the settings do later. Null on invoices issued before the copy was kept.
    /// </summary>
    public string? SellerLegalName { get; set; }
    public string? SellerLegalAddress { get; set; }
    public string? SellerTaxRegistration { get; set; }
    /// <summary>Bumped by every status change.</summary>
    public int Revision { get; private set; }

    public List<InvoiceEvent> Events { get; } = [];

    public static Invoice Issue(InvoiceKind kind, string number, long sequence, Quote quote, InvoiceParty party, DateOnly issuedOn, string? taxNote) => new()
    {
        Kind = kind, Number = number, Sequence = sequence, OperatorId = party.OperatorId, OrganizationId = party.OrganizationId,
        IssuedOn = issuedOn, BillingName = party.BillingName, BillingAddress = party.BillingAddress, Country = party.Country,
        Currency = quote.Currency, Lines = quote.Lines.ToList(), Subtotal = quote.Subtotal, Tax = quote.Tax, Total = quote.Total, TaxNote = taxNote,
        SellerLegalName = party.Seller?.LegalName, SellerLegalAddress = party.Seller?.LegalAddress, SellerTaxRegistration = party.Seller?.TaxRegistration,
    };

    public Failure? MarkPaid(DateTimeOffset at)
    {
        if (Status != InvoiceStatus.Open) return Failure.Conflict($"Invoice {Number} is {Status.ToString().ToLowerInvariant()}.") with { Code = "invoice_not_open" };
        Status = InvoiceStatus.Paid;
        PaidAt = at;
        Revision++;
        return null;
    }

    public Failure? MarkVoid()
    {
        if (Status == InvoiceStatus.Void) return Failure.Conflict($"Invoice {Number} is already void.");
        Status = InvoiceStatus.Void;
        Revision++;
        return null;
    }

    /// <summary>
    /// The lines of a credit note for this invoice: each of <paramref name="lines"/> (by index) with
    /// its amount and tax negated, so credit notes never exceed what was invoiced.
    /// </summary>
    public Quote CreditFor(IEnumerable<int> lines) =>
        new(Currency, lines.Distinct().Where(i => i >= 0 && i < Lines.Count)
            .Select(i => Lines[i] with
            {
                UnitPrice = -Lines[i].UnitPrice, ProratedUnitPrice = -Lines[i].ProratedUnitPrice, Amount = -Lines[i].Amount, Tax = -Lines[i].Tax,
                Description = $"Credit: {Lines[i].Description}",
            })
            .ToList());
}

/// <summary>
/// One step on a bill's timeline: issued, reminded, card retried, paid, organization suspended.
/// <see cref="Step"/> is unique per invoice, so a dunning step done once is never done twice.
/// </summary>
public sealed class InvoiceEvent : Entity, IOrganizationOwned
{
    public Guid OrganizationId { get; set; }
    public Guid InvoiceId { get; set; }
    public required string Step { get; set; }
    public DateTimeOffset At { get; set; }
    public required string Note { get; set; }
}

/// <summary>Who an invoice is from and to, captured at issue.</summary>
/// <summary>Who an invoice is made out to, and the seller's registered details on the day it is issued.</summary>
public sealed record InvoiceParty(Guid OperatorId, Guid OrganizationId, string BillingName, string BillingAddress, string Country, InvoiceSeller? Seller = null);

/// <summary>The seller's legal name, address lines and tax registration (operator settings), copied onto each invoice.</summary>
public sealed record InvoiceSeller(string? LegalName, string? LegalAddress, string? TaxRegistration);
