using Accrue.Domain.Billing;
using Accrue.Domain.Catalog;
using Accrue.Domain.Common;
using Accrue.Domain.Reference;
using Accrue.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Catalog;

/// <summary>What the console form and the API send to create or edit a product.</summary>
public record ProductInput
{
    public string Code { get; init; } = "";
    public string Name { get; init; } = "";
    public string? Description { get; init; }
    public ProductKind Kind { get; init; }
    /// <summary>Unit packs only: the meter the pack fills (OCR, SMS, WhatsApp).</summary>
    public string? Meter { get; init; }
    /// <summary>Unit packs only.</summary>
    public int? UnitsPerPack { get; init; }
    public bool Active { get; init; } = true;
}

/// <summary>What the console form and the API send to create or edit a plan; prices are set separately, as versions.</summary>
public record PlanInput
{
    public Guid ProductId { get; init; }
    public string Code { get; init; } = "";
    public string Name { get; init; } = "";
    public BillingPeriod Period { get; init; } = BillingPeriod.Month;
    public PricingModel Model { get; init; }
    public int TrialDays { get; init; }
    public CancellationRule CancellationRule { get; init; }
    public int MinimumTermMonths { get; init; }
    public bool SoldPerUnit { get; init; }
    public string? UnitName { get; init; }
    public int? MaxQuantity { get; init; }
    /// <summary>Other plans a subscription may upgrade or downgrade to.</summary>
    public List<Guid> ChangeTargetIds { get; init; } = [];
    public bool Active { get; init; } = true;
}

/// <summary>A seat type of a plan; <see cref="Id"/> names an existing one to update, null adds one.</summary>
public sealed record SeatTypeInput
{
    public Guid? Id { get; init; }
    public string Code { get; init; } = "";
    public string Name { get; init; } = "";
    public List<string> Modules { get; init; } = [];
    public int SortOrder { get; init; }
}

/// <summary>A plan's price in one currency. Seat prices are keyed by seat type code.</summary>
public sealed record PriceInput
{
    public string Currency { get; init; } = "";
    public decimal Amount { get; init; }
    public List<PriceTier> Tiers { get; init; } = [];
    public int PackageSize { get; init; } = 1;
    public Dictionary<string, decimal>? SeatPrices { get; init; }
}

/// <summary>A country's tax rate as people type it: 19 for 19 %.</summary>
public sealed record TaxRateInput
{
    public string Country { get; init; } = "";
    public string Name { get; init; } = "";
    public decimal RatePercent { get; init; }
}

/// <summary>
/// The operator's catalog (DESIGN §2): products, plans, seat types, versioned prices, SLA documents
/// and tax rates. Only operator staff (and operator API keys) change it; partner staff and API keys
/// may read it, through the pages and endpoints, never here.
/// </summary>
public sealed class CatalogCommands(AccrueDb db)
{
    public const long MaxSlaBytes = 10 * 1024 * 1024;
    private static readonly byte[] PdfMagic = "%PDF-"u8.ToArray();

    private const string OperatorOnly = "Only the operator's staff change the catalog.";

    private Task<Guid> OperatorIdAsync(CancellationToken ct) => db.Operators.Select(o => o.Id).FirstAsync(ct);

    public async Task<Result<Product>> CreateProductAsync(ProductInput input, CancellationToken ct = default)
    {
        if (db.Actor.RefuseUnlessOperator(OperatorOnly) is { } refused) return refused;
        var operatorId = await OperatorIdAsync(ct);
        var code = input.Code?.Trim() ?? "";
        var errors = ValidateProduct(input, code);
        if (!errors.Any && await db.Products.AnyAsync(p => p.OperatorId == operatorId && p.Code == code, ct))
            errors.Add(nameof(ProductInput.Code), $"A product with the code '{code}' already exists.");
        if (errors.Any) return errors.ToFailure();

        var product = new Product { OperatorId = operatorId, Code = code, Name = "" };
        Apply(product, input);
        db.Products.Add(product);
        await db.SaveChangesAsync(ct);
        return product;
    }

    public async Task<Result<Product>> UpdateProductAsync(Guid id, ProductInput input, CancellationToken ct = default)
    {
        if (db.Actor.RefuseUnlessOperator(OperatorOnly) is { } refused) return refused;
        var product = await db.Products.SingleOrDefaultAsync(p => p.Id == id, ct);
        if (product is null) return Failure.NotFound("Product");
        var code = input.Code?.Trim() ?? "";
        var errors = ValidateProduct(input, code);
        if (!errors.Any && await db.Products.AnyAsync(p => p.OperatorId == product.OperatorId && p.Code == code && p.Id != id, ct))
            errors.Add(nameof(ProductInput.Code), $"A product with the code '{code}' already exists.");
        if (errors.Any) return errors.ToFailure();

        product.Code = code;
        Apply(product, input);
        await db.SaveChangesAsync(ct);
        return product;
    }

    private static FieldErrors ValidateProduct(ProductInput input, string code)
    {
        var errors = Product.Validate(code, input.Name?.Trim(), input.Kind, input.Meter?.Trim(), input.UnitsPerPack);
        errors.Limit(nameof(ProductInput.Description), input.Description, "Description", 2000);
        if (!Enum.IsDefined(input.Kind)) errors.Add(nameof(ProductInput.Kind), "Choose a product kind.");
        return errors;
    }

    private static void Apply(Product product, ProductInput input)
    {
        product.Name = input.Name.Trim();
        product.Description = string.IsNullOrWhiteSpace(input.Description) ? null : input.Description.Trim();
        product.Kind = input.Kind;
        // Only a unit pack has a meter; other kinds drop what a form may have left in the fields.
        product.Meter = input.Kind == ProductKind.UnitPack ? input.Meter?.Trim() : null;
        product.UnitsPerPack = input.Kind == ProductKind.UnitPack ? input.UnitsPerPack : null;
        product.Active = input.Active;
    }

    /// <summary>Creates a plan, optionally with its seat types and first prices (version 1), all or nothing.</summary>
    public async Task<Result<Plan>> CreatePlanAsync(PlanInput input, IReadOnlyList<SeatTypeInput>? seatTypes = null, IReadOnlyList<PriceInput>? prices = null, CancellationToken ct = default)
    {
        if (db.Actor.RefuseUnlessOperator(OperatorOnly) is { } refused) return refused;
        var errors = await ValidatePlanAsync(input, null, ct);
        var seats = seatTypes ?? [];
        ValidateSeatTypes(errors, seats, "SeatTypes");
        if (prices is { Count: > 0 })
            ValidatePrices(errors, input.Model, prices, seats.Select(s => s.Code?.Trim() ?? "").ToHashSet(StringComparer.Ordinal));
        if (errors.Any) return errors.ToFailure();

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var plan = new Plan { ProductId = input.ProductId, Code = "", Name = "" };
        Apply(plan, input);
        foreach (var seat in seats) plan.SeatTypes.Add(NewSeatType(plan.Id, seat));
        db.Plans.Add(plan);
        await db.SaveChangesAsync(ct);
        if (prices is { Count: > 0 })
        {
            // A plan and its current version point at each other: the plan exists first.
            AddVersion(plan, 1, prices);
            await db.SaveChangesAsync(ct);
        }
        await transaction.CommitAsync(ct);
        return plan;
    }

    public async Task<Result<Plan>> UpdatePlanAsync(Guid id, PlanInput input, CancellationToken ct = default)
    {
        if (db.Actor.RefuseUnlessOperator(OperatorOnly) is { } refused) return refused;
        var plan = await db.Plans.SingleOrDefaultAsync(p => p.Id == id, ct);
        if (plan is null) return Failure.NotFound("Plan");
        var errors = await ValidatePlanAsync(input, id, ct);
        if (errors.Any) return errors.ToFailure();
        Apply(plan, input);
        await db.SaveChangesAsync(ct);
        return plan;
    }

    private async Task<FieldErrors> ValidatePlanAsync(PlanInput input, Guid? id, CancellationToken ct)
    {
        var code = input.Code?.Trim() ?? "";
        var errors = new FieldErrors().Require(nameof(PlanInput.Code), code, "Code", 40).Require(nameof(PlanInput.Name), input.Name?.Trim(), "Name");
        if (input.ProductId == Guid.Empty || !await db.Products.AnyAsync(p => p.Id == input.ProductId, ct))
            errors.Add(nameof(PlanInput.ProductId), "Choose the product this plan sells.");
        if (!Enum.IsDefined(input.Period)) errors.Add(nameof(PlanInput.Period), "Choose a billing period.");
        if (!Enum.IsDefined(input.Model)) errors.Add(nameof(PlanInput.Model), "Choose a pricing model.");
        if (!Enum.IsDefined(input.CancellationRule)) errors.Add(nameof(PlanInput.CancellationRule), "Choose a cancellation rule.");
        if (input.TrialDays is < 0 or > 365) errors.Add(nameof(PlanInput.TrialDays), "Trial days must be between 0 and 365.");
        if (input.MinimumTermMonths is < 0 or > 60) errors.Add(nameof(PlanInput.MinimumTermMonths), "The minimum term must be between 0 and 60 months.");
        if (input.MaxQuantity is < 1) errors.Add(nameof(PlanInput.MaxQuantity), "The maximum quantity is at least 1, or empty for no limit.");
        errors.Limit(nameof(PlanInput.UnitName), input.UnitName?.Trim(), "Unit name", 40);
        if (input.SoldPerUnit && string.IsNullOrWhiteSpace(input.UnitName))
            errors.Add(nameof(PlanInput.UnitName), "Say what one unit is called, e.g. apartment or office user.");
        if (code.Length > 0 && await db.Plans.AnyAsync(p => p.Code == code && p.Id != id, ct))
            errors.Add(nameof(PlanInput.Code), $"A plan with the code '{code}' already exists.");

        var targets = input.ChangeTargetIds ?? [];
        if (id is { } self && targets.Contains(self)) errors.Add(nameof(PlanInput.ChangeTargetIds), "A plan can't be its own change target.");
        var distinct = targets.Distinct().ToList();
        if (distinct.Count > 0 && await db.Plans.CountAsync(p => distinct.Contains(p.Id), ct) != distinct.Count)
            errors.Add(nameof(PlanInput.ChangeTargetIds), "A change target is not a plan of this catalog.");
        return errors;
    }

    private static void Apply(Plan plan, PlanInput input)
    {
        plan.ProductId = input.ProductId;
        plan.Code = input.Code.Trim();
        plan.Name = input.Name.Trim();
        plan.Period = input.Period;
        plan.Model = input.Model;
        plan.TrialDays = input.TrialDays;
        plan.CancellationRule = input.CancellationRule;
        plan.MinimumTermMonths = input.MinimumTermMonths;
        plan.SoldPerUnit = input.SoldPerUnit;
        plan.UnitName = string.IsNullOrWhiteSpace(input.UnitName) ? "seat" : input.UnitName.Trim();
        plan.MaxQuantity = input.MaxQuantity;
        plan.ChangeTargetIds = [.. (input.ChangeTargetIds ?? []).Distinct()];
        plan.Active = input.Active;
    }

    /// <summary>
    /// Replaces a plan's seat types with <paramref name="seatTypes"/>: rows with an id are updated,
    /// rows without are added, and seat types left out are removed unless seats of them were sold or assigned.
    /// </summary>
    public async Task<Result<Plan>> SaveSeatTypesAsync(Guid planId, IReadOnlyList<SeatTypeInput> seatTypes, CancellationToken ct = default)
    {
        if (db.Actor.RefuseUnlessOperator(OperatorOnly) is { } refused) return refused;
        var plan = await db.Plans.Include(p => p.SeatTypes).SingleOrDefaultAsync(p => p.Id == planId, ct);
        if (plan is null) return Failure.NotFound("Plan");
        var errors = new FieldErrors();
        ValidateSeatTypes(errors, seatTypes, "SeatTypes");
        if (seatTypes.Any(s => s.Id is { } sid && plan.SeatTypes.All(t => t.Id != sid)))
            errors.Add("SeatTypes", "A seat type belongs to another plan.");
        if (errors.Any) return errors.ToFailure();

        var kept = seatTypes.Where(s => s.Id is not null).Select(s => s.Id!.Value).ToHashSet();
        var removed = plan.SeatTypes.Where(t => !kept.Contains(t.Id)).ToList();
        var removedIds = removed.Select(t => t.Id).ToList();
        if (removedIds.Count > 0
            && (await db.SubscriptionItems.IgnoreQueryFilters().AnyAsync(i => i.SeatTypeId != null && removedIds.Contains(i.SeatTypeId.Value), ct)
                || await db.Members.IgnoreQueryFilters().AnyAsync(m => m.SeatTypeId != null && removedIds.Contains(m.SeatTypeId.Value), ct)))
            return Failure.Conflict("Seats of a seat type you removed were sold or assigned; it can't be removed.");

        foreach (var seat in removed)
        {
            plan.SeatTypes.Remove(seat);
            db.SeatTypes.Remove(seat);
        }
        foreach (var input in seatTypes)
        {
            if (input.Id is { } sid)
            {
                var seat = plan.SeatTypes.Single(t => t.Id == sid);
                (seat.Code, seat.Name, seat.Modules, seat.SortOrder) = (input.Code.Trim(), input.Name.Trim(), CleanModules(input.Modules), input.SortOrder);
            }
            else
            {
                var seat = NewSeatType(plan.Id, input);
                plan.SeatTypes.Add(seat);
                db.SeatTypes.Add(seat);
            }
        }
        await db.SaveChangesAsync(ct);
        return plan;
    }

    private static void ValidateSeatTypes(FieldErrors errors, IReadOnlyList<SeatTypeInput> seatTypes, string prefix)
    {
        for (var i = 0; i < seatTypes.Count; i++)
        {
            var seat = seatTypes[i];
            errors.Require($"{prefix}[{i}].Code", seat.Code?.Trim(), "Code", 40).Require($"{prefix}[{i}].Name", seat.Name?.Trim(), "Name", 100);
            if (seat.SortOrder < 0) errors.Add($"{prefix}[{i}].SortOrder", "The order can't be negative.");
            if ((seat.Modules ?? []).Any(m => m.Trim().Length > 100)) errors.Add($"{prefix}[{i}].Modules", "A module name is at most 100 characters.");
        }
        var duplicate = seatTypes.GroupBy(s => s.Code?.Trim() ?? "", StringComparer.Ordinal).FirstOrDefault(g => g.Key.Length > 0 && g.Count() > 1);
        if (duplicate is not null) errors.Add(prefix, $"Two seat types have the code '{duplicate.Key}'.");
    }

    private static List<string> CleanModules(List<string>? modules) =>
        [.. (modules ?? []).Select(m => m.Trim()).Where(m => m.Length > 0).Distinct(StringComparer.Ordinal)];

    private static SeatType NewSeatType(Guid planId, SeatTypeInput input) => new()
    {
        PlanId = planId, Code = input.Code.Trim(), Name = input.Name.Trim(), Modules = CleanModules(input.Modules), SortOrder = input.SortOrder,
    };

    /// <summary>
    /// Sets new prices: a new <see cref="PlanVersion"/> becomes current, and earlier versions stay as
    /// they were, so subscriptions keep the price they bought until their next renewal (DESIGN §2).
    /// </summary>
    public async Task<Result<PlanVersion>> ChangePricesAsync(Guid planId, IReadOnlyList<PriceInput> prices, CancellationToken ct = default)
    {
        if (db.Actor.RefuseUnlessOperator(OperatorOnly) is { } refused) return refused;
        var plan = await db.Plans.Include(p => p.SeatTypes).SingleOrDefaultAsync(p => p.Id == planId, ct);
        if (plan is null) return Failure.NotFound("Plan");
        var errors = new FieldErrors();
        if (prices.Count == 0) errors.Add("Prices", "Give a price in at least one currency.");
        ValidatePrices(errors, plan.Model, prices, plan.SeatTypes.Select(s => s.Code).ToHashSet(StringComparer.Ordinal));
        if (errors.Any) return errors.ToFailure();

        var number = await db.PlanVersions.Where(v => v.PlanId == planId).MaxAsync(v => (int?)v.Number, ct) ?? 0;
        var version = AddVersion(plan, number + 1, prices);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Two price changes at once both asked for the same version number; the unique index kept one.
            return Failure.Conflict("The prices were changed by someone else at the same time; reload and try again.") with { Code = "concurrent_change" };
        }
        return version;
    }

    private PlanVersion AddVersion(Plan plan, int number, IReadOnlyList<PriceInput> prices)
    {
        var seatIds = plan.SeatTypes.ToDictionary(s => s.Code, s => s.Id, StringComparer.Ordinal);
        var version = new PlanVersion
        {
            PlanId = plan.Id,
            Number = number,
            Prices = [.. prices.Select(p => new PlanPrice(
                p.Currency.Trim().ToUpperInvariant(), p.Amount, [.. p.Tiers ?? []], p.PackageSize,
                p.SeatPrices is { Count: > 0 } seats ? seats.ToDictionary(s => seatIds[s.Key.Trim()], s => s.Value) : null))],
        };
        db.PlanVersions.Add(version);
        plan.CurrentVersionId = version.Id;
        return version;
    }

    private static void ValidatePrices(FieldErrors errors, PricingModel model, IReadOnlyList<PriceInput> prices, HashSet<string> seatCodes)
    {
        for (var i = 0; i < prices.Count; i++)
        {
            var price = prices[i];
            var prefix = $"Prices[{i}].";
            var currency = price.Currency?.Trim().ToUpperInvariant();
            if (Currencies.Problem(currency) is { } problem) errors.Add(prefix + nameof(PriceInput.Currency), problem);
            foreach (var (field, messages) in new Price(model, price.Amount, price.Tiers ?? [], price.PackageSize).Validate(prefix).ToFailure().Errors ?? new Dictionary<string, string[]>())
                foreach (var message in messages) errors.Add(field, message);
            foreach (var (code, amount) in price.SeatPrices ?? [])
            {
                if (!seatCodes.Contains(code.Trim())) errors.Add(prefix + nameof(PriceInput.SeatPrices), $"The plan has no seat type '{code}'.");
                else if (amount < 0) errors.Add($"{prefix}SeatPrices[{code.Trim()}]", "The price can't be negative.");
            }
        }
        var duplicate = prices.GroupBy(p => p.Currency?.Trim().ToUpperInvariant() ?? "", StringComparer.Ordinal).FirstOrDefault(g => g.Key.Length > 0 && g.Count() > 1);
        if (duplicate is not null) errors.Add("Prices", $"{duplicate.Key} is priced twice.");
    }

    /// <summary>
    /// Stores a plan's SLA document (seed 000). PDF only, judged by the declared type and by the file's
    /// own first bytes, so a renamed file of another kind is refused; at most 10 MB.
    /// </summary>
    public async Task<Result<Document>> UploadSlaAsync(Guid planId, string fileName, string contentType, Stream content, CancellationToken ct = default)
    {
        if (db.Actor.RefuseUnlessOperator(OperatorOnly) is { } refused) return refused;
        var plan = await db.Plans.SingleOrDefaultAsync(p => p.Id == planId, ct);
        if (plan is null) return Failure.NotFound("Plan");

        const string field = "Sla";
        if (!string.Equals(contentType?.Split(';')[0].Trim(), "application/pdf", StringComparison.OrdinalIgnoreCase))
            return Failure.Invalid(field, "The SLA document must be a PDF file.");
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await content.ReadAsync(chunk, ct)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > MaxSlaBytes) return Failure.Invalid(field, "The SLA document can be at most 10 MB.");
        }
        var bytes = buffer.ToArray();
        if (bytes.Length < PdfMagic.Length || !bytes.AsSpan(0, PdfMagic.Length).SequenceEqual(PdfMagic))
            return Failure.Invalid(field, "The file is not a PDF document.");

        var name = Path.GetFileName(fileName ?? "").Trim();
        if (name.Length == 0) name = "sla.pdf";
        if (name.Length > 200) name = name[^200..];
        var document = new Document { FileName = name, ContentType = "application/pdf", Content = bytes };
        db.Documents.Add(document);
        var previous = plan.SlaDocumentId;
        plan.SlaDocumentId = document.Id;
        if (previous is { } old && await db.Documents.FindAsync([old], ct) is { } replaced) db.Documents.Remove(replaced);
        await db.SaveChangesAsync(ct);
        return document;
    }

    public async Task<Result<TaxRate>> CreateTaxRateAsync(TaxRateInput input, CancellationToken ct = default)
    {
        if (db.Actor.RefuseUnlessOperator(OperatorOnly) is { } refused) return refused;
        var operatorId = await OperatorIdAsync(ct);
        var country = input.Country?.Trim().ToUpperInvariant() ?? "";
        var errors = ValidateTaxRate(input, country);
        if (!errors.Any && await db.TaxRates.AnyAsync(t => t.OperatorId == operatorId && t.Country == country, ct))
            errors.Add(nameof(TaxRateInput.Country), $"{Countries.NameOf(country)} already has a tax rate; edit it instead.");
        if (errors.Any) return errors.ToFailure();
        var rate = new TaxRate { OperatorId = operatorId, Country = country, Name = input.Name.Trim(), Rate = input.RatePercent / 100m };
        db.TaxRates.Add(rate);
        await db.SaveChangesAsync(ct);
        return rate;
    }

    public async Task<Result<TaxRate>> UpdateTaxRateAsync(Guid id, TaxRateInput input, CancellationToken ct = default)
    {
        if (db.Actor.RefuseUnlessOperator(OperatorOnly) is { } refused) return refused;
        var rate = await db.TaxRates.SingleOrDefaultAsync(t => t.Id == id, ct);
        if (rate is null) return Failure.NotFound("Tax rate");
        var country = input.Country?.Trim().ToUpperInvariant() ?? "";
        var errors = ValidateTaxRate(input, country);
        if (!errors.Any && await db.TaxRates.AnyAsync(t => t.OperatorId == rate.OperatorId && t.Country == country && t.Id != id, ct))
            errors.Add(nameof(TaxRateInput.Country), $"{Countries.NameOf(country)} already has a tax rate; edit it instead.");
        if (errors.Any) return errors.ToFailure();
        (rate.Country, rate.Name, rate.Rate) = (country, input.Name.Trim(), input.RatePercent / 100m);
        await db.SaveChangesAsync(ct);
        return rate;
    }

    /// <summary>Creates or replaces the rate of one country (the API's PUT).</summary>
    public async Task<Result<TaxRate>> SetTaxRateAsync(string country, TaxRateInput input, CancellationToken ct = default)
    {
        if (db.Actor.RefuseUnlessOperator(OperatorOnly) is { } refused) return refused;
        var code = country.Trim().ToUpperInvariant();
        var existing = await db.TaxRates.Where(t => t.Country == code).Select(t => (Guid?)t.Id).SingleOrDefaultAsync(ct);
        input = input with { Country = code };
        return existing is { } id ? await UpdateTaxRateAsync(id, input, ct) : await CreateTaxRateAsync(input, ct);
    }

    /// <summary>Removes a country's rate: its organizations are taxed at 0 % from then on, and invoices say so.</summary>
    public async Task<Result<TaxRate>> DeleteTaxRateAsync(Guid id, CancellationToken ct = default)
    {
        if (db.Actor.RefuseUnlessOperator(OperatorOnly) is { } refused) return refused;
        var rate = await db.TaxRates.SingleOrDefaultAsync(t => t.Id == id, ct);
        if (rate is null) return Failure.NotFound("Tax rate");
        db.TaxRates.Remove(rate);
        await db.SaveChangesAsync(ct);
        return rate;
    }

    private static FieldErrors ValidateTaxRate(TaxRateInput input, string country)
    {
        var errors = new FieldErrors();
        if (Countries.Problem(country) is { } problem) errors.Add(nameof(TaxRateInput.Country), problem);
        errors.Require(nameof(TaxRateInput.Name), input.Name?.Trim(), "Name", 40);
        if (input.RatePercent is < 0 or > 100) errors.Add(nameof(TaxRateInput.RatePercent), "The rate must be between 0 and 100 %.");
        else if (decimal.Round(input.RatePercent, 4) != input.RatePercent) errors.Add(nameof(TaxRateInput.RatePercent), "Give the rate with at most 4 decimals.");
        return errors;
    }
}
