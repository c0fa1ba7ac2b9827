using Accrue.Domain.Billing;
using Accrue.Domain.Catalog;
using Accrue.Domain.Common;
using Accrue.Domain.Reference;
using Accrue.Web.Data;
using Accrue.Web.Features.Api;
using Accrue.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Catalog;

public sealed record ProductResponse(
    Guid Id, string Code, string Name, string? Description, ProductKind Kind, string? Meter, int? UnitsPerPack, bool Active, DateTimeOffset CreatedAt)
{
    public static ProductResponse From(Product p) => new(p.Id, p.Code, p.Name, p.Description, p.Kind, p.Meter, p.UnitsPerPack, p.Active, p.CreatedAt);
}

public sealed record SeatTypeResponse(Guid Id, string Code, string Name, IReadOnlyList<string> Modules, int SortOrder);

/// <summary>A price in one currency; seat prices are keyed by seat type code.</summary>
public sealed record PriceResponse(string Currency, Amount Amount, IReadOnlyList<PriceTierResponse> Tiers, int PackageSize, IReadOnlyDictionary<string, Amount>? SeatPrices);

/// <summary>A tier up to and including <c>upTo</c> units (null: no limit), in the price's currency.</summary>
public sealed record PriceTierResponse(int? UpTo, Amount UnitPrice, Amount FlatFee);

public sealed record PlanVersionResponse(Guid Id, int Number, IReadOnlyList<PriceResponse> Prices, DateTimeOffset CreatedAt)
{
    public static PlanVersionResponse From(PlanVersion v, IReadOnlyList<SeatType> seats)
    {
        var codes = seats.ToDictionary(s => s.Id, s => s.Code);
        return new(v.Id, v.Number, [.. v.Prices.Select(p => new PriceResponse(p.Currency, p.Amount.ToAmount(p.Currency),
            [.. p.Tiers.Select(t => new PriceTierResponse(t.UpTo, t.UnitPrice.ToAmount(p.Currency), t.FlatFee.ToAmount(p.Currency)))], p.PackageSize,
            p.SeatPrices?.Where(s => codes.ContainsKey(s.Key)).ToDictionary(s => codes[s.Key], s => s.Value.ToAmount(p.Currency))))], v.CreatedAt);
    }
}

public sealed record PlanResponse(
    Guid Id, Guid ProductId, string Code, string Name, BillingPeriod Period, PricingModel Model, int TrialDays,
    CancellationRule CancellationRule, int MinimumTermMonths, bool SoldPerUnit, string UnitName, int? MaxQuantity,
    IReadOnlyList<Guid> ChangeTargetIds, bool Active, bool HasSla, IReadOnlyList<SeatTypeResponse> SeatTypes,
    PlanVersionResponse? CurrentVersion, DateTimeOffset CreatedAt)
{
    public static PlanResponse From(Plan p, PlanVersion? current)
    {
        var seats = p.SeatTypes.OrderBy(s => s.SortOrder).ThenBy(s => s.Code, StringComparer.Ordinal).ToList();
        return new(p.Id, p.ProductId, p.Code, p.Name, p.Period, p.Model, p.TrialDays, p.CancellationRule, p.MinimumTermMonths,
            p.SoldPerUnit, p.UnitName, p.MaxQuantity, p.ChangeTargetIds, p.Active, p.SlaDocumentId is not null,
            [.. seats.Select(s => new SeatTypeResponse(s.Id, s.Code, s.Name, s.Modules, s.SortOrder))],
            current is null ? null : PlanVersionResponse.From(current, seats), p.CreatedAt);
    }
}

/// <summary>A new plan, optionally with its seat types and first prices (version 1).</summary>
public sealed record CreatePlanRequest : PlanInput
{
    public List<SeatTypeInput>? SeatTypes { get; init; }
    public List<PriceInput>? Prices { get; init; }
}

public sealed record ChangePricesRequest(List<PriceInput>? Prices);

public sealed record SeatTypesRequest(List<SeatTypeInput>? SeatTypes);

/// <summary>A rate as a fraction (0.19) and as people read it (19).</summary>
public sealed record TaxRateResponse(Guid Id, string Country, string CountryName, string Name, decimal Rate, decimal RatePercent)
{
    public static TaxRateResponse From(TaxRate t) => new(t.Id, t.Country, Countries.NameOf(t.Country), t.Name, t.Rate, t.Rate * 100m);
}

public sealed record TaxRateRequest(string? Name, decimal RatePercent);

/// <summary>A plan's stored SLA document; download it from GET /plans/{id}/sla.</summary>
public sealed record SlaDocumentResponse(Guid PlanId, string FileName, long Size, DateTimeOffset UploadedAt);

/// <summary>
/// /api/v1 products, plans and tax rates through <see cref="CatalogCommands"/>. Any key may read the
/// catalog (an organization's key, to show what can be bought); only operator keys change it.
/// </summary>
public static class CatalogApi
{
    public static RouteGroupBuilder MapCatalogApi(this RouteGroupBuilder api)
    {
        var products = api.MapGroup("/products").WithTags("Catalog");
        products.MapGet("/", ListProductsAsync).WithName("ListProducts").WithSummary("Lists the products of the catalog. The catalog is public to every key.").ProducesProblem(StatusCodes.Status400BadRequest);
        products.MapGet("/{id:guid}", GetProductAsync).WithName("GetProduct").WithSummary("One product of the catalog.").ProducesProblem(StatusCodes.Status404NotFound);
        products.MapPost("/", CreateProductAsync).WithName("CreateProduct").WithSummary("Creates a product. Operator keys only.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden);
        products.MapPut("/{id:guid}", UpdateProductAsync).WithName("UpdateProduct").WithSummary("Edits a product. Operator keys only.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);

        var plans = api.MapGroup("/plans").WithTags("Catalog");
        plans.MapGet("/", ListPlansAsync).WithName("ListPlans")
            .WithSummary("Lists plans with their seat types and current prices; organization keys see active plans only.")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        plans.MapGet("/{id:guid}", GetPlanAsync).WithName("GetPlan").WithSummary("One plan with its seat types and current prices; organization keys see active plans only.").ProducesProblem(StatusCodes.Status404NotFound);
        plans.MapPost("/", CreatePlanAsync).WithName("CreatePlan")
            .WithSummary("Creates a plan, with seat types and first prices if given. Operator keys only.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden);
        plans.MapPut("/{id:guid}", UpdatePlanAsync).WithName("UpdatePlan").WithSummary("Edits a plan's terms (not its prices). Operator keys only.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        plans.MapPut("/{id:guid}/seat-types", SaveSeatTypesAsync).WithName("SavePlanSeatTypes")
            .WithSummary("Replaces the plan's seat types: with id updates, without id adds, left out removes. Operator keys only.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        plans.MapPost("/{id:guid}/prices", ChangePricesAsync).WithName("ChangePlanPrices")
            .WithSummary("Sets new prices as a new plan version; existing subscriptions keep theirs until renewal. Operator keys only.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        plans.MapPut("/{id:guid}/sla", UploadSlaAsync).WithName("UploadPlanSla")
            .WithSummary("Uploads (or replaces) the plan's SLA document: the request body is the PDF itself, sent as application/pdf, "
                + $"at most {CatalogCommands.MaxSlaBytes / 1024 / 1024} MB; fileName names it for downloads. Operator keys only.")
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(MaxSlaRequestBody))
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                operation.RequestBody = new Microsoft.OpenApi.OpenApiRequestBody
                {
                    Required = true,
                    Content = new Dictionary<string, Microsoft.OpenApi.OpenApiMediaType>
                    {
                        ["application/pdf"] = new() { Schema = new Microsoft.OpenApi.OpenApiSchema { Type = Microsoft.OpenApi.JsonSchemaType.String, Format = "binary" } },
                    },
                };
                return Task.CompletedTask;
            })
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        plans.MapGet("/{id:guid}/sla", DownloadSlaAsync).WithName("GetPlanSla")
            .WithSummary("The plan's SLA document. Staff keys get any plan's; an organization's key only a plan it subscribes to (404 otherwise).")
            .Produces<Stream>(StatusCodes.Status200OK, "application/pdf")
            .ProducesProblem(StatusCodes.Status404NotFound);

        var tax = api.MapGroup("/tax-rates").WithTags("Catalog");
        tax.MapGet("/", ListTaxRatesAsync).WithName("ListTaxRates").WithSummary("Tax rates by country; a country without one is taxed at 0 %.")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        tax.MapPut("/{country}", SetTaxRateAsync).WithName("SetTaxRate")
            .WithSummary("Creates or replaces a country's rate, given in percent. Operator keys only.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden);
        tax.MapDelete("/{country}", DeleteTaxRateAsync).WithName("DeleteTaxRate").WithSummary("Removes a country's rate. Operator keys only.")
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    private static async Task<Results<Ok<Page<ProductResponse>>, ProblemHttpResult>> ListProductsAsync(
        AccrueDb db, CancellationToken ct, int? limit = null, string? cursor = null, ProductKind? kind = null)
    {
        var page = Paging.Parse(limit, cursor);
        if (page.Failed(out var failure)) return failure.ToProblem();
        var query = db.Products.AsNoTracking();
        if (db.Actor.IsInOrganization) query = query.Where(p => p.Active);
        if (kind is { } k) query = query.Where(p => p.Kind == k);
        return TypedResults.Ok(await query.PageAsync(page.Value, ProductResponse.From, ct));
    }

    private static async Task<Results<Ok<ProductResponse>, ProblemHttpResult>> GetProductAsync(Guid id, AccrueDb db, CancellationToken ct)
    {
        var product = await db.Products.AsNoTracking().SingleOrDefaultAsync(p => p.Id == id && (p.Active || !db.Actor.IsInOrganization), ct);
        return product is null ? Failure.NotFound("Product").ToProblem() : TypedResults.Ok(ProductResponse.From(product));
    }

    private static async Task<Results<Created<ProductResponse>, ProblemHttpResult>> CreateProductAsync(ProductInput input, CatalogCommands catalog, CancellationToken ct)
    {
        var result = await catalog.CreateProductAsync(input, ct);
        if (result.Failed(out var failure)) return failure.ToProblem();
        var created = ProductResponse.From(result.Value);
        return TypedResults.Created($"/api/v1/products/{created.Id}", created);
    }

    private static async Task<Results<Ok<ProductResponse>, ProblemHttpResult>> UpdateProductAsync(Guid id, ProductInput input, CatalogCommands catalog, CancellationToken ct)
    {
        var result = await catalog.UpdateProductAsync(id, input, ct);
        return result.Failed(out var failure) ? failure.ToProblem() : TypedResults.Ok(ProductResponse.From(result.Value));
    }

    private static async Task<Results<Ok<Page<PlanResponse>>, ProblemHttpResult>> ListPlansAsync(
        AccrueDb db, CancellationToken ct, int? limit = null, string? cursor = null, Guid? productId = null)
    {
        var page = Paging.Parse(limit, cursor);
        if (page.Failed(out var failure)) return failure.ToProblem();
        var query = db.Plans.AsNoTracking().Include(p => p.SeatTypes).AsQueryable();
        if (db.Actor.IsInOrganization) query = query.Where(p => p.Active);
        if (productId is { } pid) query = query.Where(p => p.ProductId == pid);
        var plans = await query.PageAsync(page.Value, p => p, ct);
        var versions = await CurrentVersionsAsync(db, plans.Items, ct);
        return TypedResults.Ok(new Page<PlanResponse>(
            [.. plans.Items.Select(p => PlanResponse.From(p, p.CurrentVersionId is { } v ? versions.GetValueOrDefault(v) : null))], plans.NextCursor));
    }

    private static async Task<Results<Ok<PlanResponse>, ProblemHttpResult>> GetPlanAsync(Guid id, AccrueDb db, CancellationToken ct)
    {
        var plan = await db.Plans.AsNoTracking().Include(p => p.SeatTypes).SingleOrDefaultAsync(p => p.Id == id && (p.Active || !db.Actor.IsInOrganization), ct);
        return plan is null ? Failure.NotFound("Plan").ToProblem() : TypedResults.Ok(await PlanResponseAsync(db, plan, ct));
    }

    private static async Task<Results<Created<PlanResponse>, ProblemHttpResult>> CreatePlanAsync(
        CreatePlanRequest request, CatalogCommands catalog, AccrueDb db, CancellationToken ct)
    {
        var result = await catalog.CreatePlanAsync(request, request.SeatTypes, request.Prices, ct);
        if (result.Failed(out var failure)) return failure.ToProblem();
        var created = await PlanResponseAsync(db, result.Value, ct);
        return TypedResults.Created($"/api/v1/plans/{created.Id}", created);
    }

    private static async Task<Results<Ok<PlanResponse>, ProblemHttpResult>> UpdatePlanAsync(
        Guid id, PlanInput input, CatalogCommands catalog, AccrueDb db, CancellationToken ct)
    {
        var result = await catalog.UpdatePlanAsync(id, input, ct);
        return result.Failed(out var failure) ? failure.ToProblem() : TypedResults.Ok(await PlanResponseAsync(db, id, ct));
    }

    private static async Task<Results<Ok<PlanResponse>, ProblemHttpResult>> SaveSeatTypesAsync(
        Guid id, SeatTypesRequest request, CatalogCommands catalog, AccrueDb db, CancellationToken ct)
    {
        var result = await catalog.SaveSeatTypesAsync(id, request.SeatTypes ?? [], ct);
        return result.Failed(out var failure) ? failure.ToProblem() : TypedResults.Ok(await PlanResponseAsync(db, id, ct));
    }

    private static async Task<Results<Created<PlanResponse>, ProblemHttpResult>> ChangePricesAsync(
        Guid id, ChangePricesRequest request, CatalogCommands catalog, AccrueDb db, CancellationToken ct)
    {
        var result = await catalog.ChangePricesAsync(id, request.Prices ?? [], ct);
        if (result.Failed(out var failure)) return failure.ToProblem();
        return TypedResults.Created($"/api/v1/plans/{id}", await PlanResponseAsync(db, id, ct));
    }

    /// <summary>
    /// A little over the document limit reaches the command, so a file just too big gets the same field error
    /// as on the console page; anything larger is cut off before it is read (413).
    /// </summary>
    private const long MaxSlaRequestBody = CatalogCommands.MaxSlaBytes + 1024 * 1024;

    private static async Task<Results<Ok<SlaDocumentResponse>, ProblemHttpResult>> UploadSlaAsync(
        Guid id, HttpRequest request, CatalogCommands catalog, CancellationToken ct, string? fileName = null)
    {
        var result = await catalog.UploadSlaAsync(id, fileName ?? "", request.ContentType ?? "", request.Body, ct);
        if (result.Failed(out var failure)) return failure.ToProblem();
        var document = result.Value;
        return TypedResults.Ok(new SlaDocumentResponse(id, document.FileName, document.Content.LongLength, document.CreatedAt));
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> DownloadSlaAsync(Guid id, AccrueDb db, CancellationToken ct) =>
        await SlaDownloads.FindAsync(db, id, ct) is { } document
            ? TypedResults.File(document.Content, document.ContentType, document.FileName)
            : Failure.NotFound("SLA document").ToProblem();

    private static async Task<Results<Ok<Page<TaxRateResponse>>, ProblemHttpResult>> ListTaxRatesAsync(AccrueDb db, CancellationToken ct, int? limit = null, string? cursor = null)
    {
        var rates = await db.TaxRates.AsNoTracking().ToListAsync(ct);
        var page = Paging.PageOf(rates.OrderBy(r => r.Country, StringComparer.Ordinal).Select(TaxRateResponse.From).ToList(), r => r.Country, limit, cursor);
        return page.Failed(out var failure) ? failure.ToProblem() : TypedResults.Ok(page.Value);
    }

    private static async Task<Results<Ok<TaxRateResponse>, ProblemHttpResult>> SetTaxRateAsync(
        string country, TaxRateRequest request, CatalogCommands catalog, CancellationToken ct)
    {
        var result = await catalog.SetTaxRateAsync(country, new TaxRateInput { Country = country, Name = request.Name ?? "", RatePercent = request.RatePercent }, ct);
        return result.Failed(out var failure) ? failure.ToProblem() : TypedResults.Ok(TaxRateResponse.From(result.Value));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteTaxRateAsync(
        string country, CatalogCommands catalog, AccrueDb db, CancellationToken ct)
    {
        var code = country.Trim().ToUpperInvariant();
        var id = await db.TaxRates.Where(t => t.Country == code).Select(t => (Guid?)t.Id).SingleOrDefaultAsync(ct);
        if (id is null) return Failure.NotFound("Tax rate").ToProblem();
        var result = await catalog.DeleteTaxRateAsync(id.Value, ct);
        return result.Failed(out var failure) ? failure.ToProblem() : TypedResults.NoContent();
    }

    private static async Task<PlanResponse> PlanResponseAsync(AccrueDb db, Guid id, CancellationToken ct) =>
        await PlanResponseAsync(db, await db.Plans.AsNoTracking().Include(p => p.SeatTypes).SingleAsync(p => p.Id == id, ct), ct);

    private static async Task<PlanResponse> PlanResponseAsync(AccrueDb db, Plan plan, CancellationToken ct)
    {
        var versions = await CurrentVersionsAsync(db, [plan], ct);
        return PlanResponse.From(plan, plan.CurrentVersionId is { } v ? versions.GetValueOrDefault(v) : null);
    }

    private static async Task<Dictionary<Guid, PlanVersion>> CurrentVersionsAsync(AccrueDb db, IReadOnlyList<Plan> plans, CancellationToken ct)
    {
        var ids = plans.Where(p => p.CurrentVersionId is not null).Select(p => p.CurrentVersionId!.Value).ToList();
        return await db.PlanVersions.AsNoTracking().Where(v => ids.Contains(v.Id)).ToDictionaryAsync(v => v.Id, ct);
    }
}
