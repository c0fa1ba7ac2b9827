using Accrue.Domain.Common;

namespace Accrue.Domain.Catalog;

public enum ProductKind
{
    /// <summary>A software or telecom service sold by subscription.</summary>
    Service,
    /// <summary>An "Additional app" added to a subscription (seed 002).</summary>
    AddOn,
    /// <summary>Consumable units of a meter: OCR pages, SMS, WhatsApp messages (seed 000).</summary>
    UnitPack,
    /// <summary>A set-top box or router; each delivered item carries a serial number (seed 004).</summary>
    PhysicalGood,
}

/// <summary>Something the operator sells.</summary>
public sealed class Product : Entity
{
    public Guid OperatorId { get; set; }
    public required string Code { get; set; }
    public required string Name { get; set; }
    public string? Description { get; set; }
    public ProductKind Kind { get; set; }
    /// <summary>The meter a unit pack fills (OCR, SMS, WhatsApp).</summary>
    public string? Meter { get; set; }
    public int? UnitsPerPack { get; set; }
    public bool Active { get; set; } = true;

    public static FieldErrors Validate(string? code, string? name, ProductKind kind, string? meter, int? unitsPerPack)
    {
        var errors = new FieldErrors().Require(nameof(Code), code, "Code", 40).Require(nameof(Name), name, "Name");
        if (kind == ProductKind.UnitPack)
        {
            errors.Require(nameof(Meter), meter, "Meter", 40);
            if (unitsPerPack is not > 0) errors.Add(nameof(UnitsPerPack), "A unit pack holds at least one unit.");
        }
        return errors;
    }
}

/// <summary>A tax rate for one country; an organization's country decides the rate on its invoices.</summary>
public sealed class TaxRate : Entity
{
    public Guid OperatorId { get; set; }
    public required string Country { get; set; }
    public required string Name { get; set; }
    /// <summary>A fraction: 0.20 is 20 %.</summary>
    public decimal Rate { get; set; }
}

/// <summary>An uploaded file: a plan's SLA document (seed 000).</summary>
public sealed class Document : Entity
{
    public required string FileName { get; set; }
    public required string ContentType { get; set; }
    public required byte[] Content { get; set; }
}
