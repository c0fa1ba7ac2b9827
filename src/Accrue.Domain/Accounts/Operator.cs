using Accrue.Domain.Common;

namespace Accrue.Domain.Accounts;

/// <summary>The provider running this install: owns the catalog, invoice numbering and branding.</summary>
public sealed class Operator : Entity
{
    public required string Name { get; set; }
    public string? LogoPath { get; set; }
    public string SupportEmail { get; set; } = "";
    /// <summary>Starts every invoice number; the numbers after it run without gaps.</summary>
    public string InvoicePrefix { get; set; } = "INV-";
    public string CreditNotePrefix { get; set; } = "CN-";
    /// <summary>
    /// The seller as the law wants it on an invoice: registered name, address (lines separated by
    /// newlines) and tax registration (e.g. "VAT GB 123 4567 89"), printed on every invoice PDF.
    /// </summary>
    public string LegalName { get; set; } = "";
    public string LegalAddress { get; set; } = "";
    public string TaxRegistration { get; set; } = "";
}

/// <summary>A reseller under the operator; its staff see only its organizations.</summary>
public sealed class Partner : Entity
{
    public Guid OperatorId { get; set; }
    public required string Name { get; set; }
}
