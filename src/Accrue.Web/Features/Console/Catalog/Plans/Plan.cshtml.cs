using System.Text.RegularExpressions;
using Accrue.Domain.Billing;
using Accrue.Domain.Catalog;
using Accrue.Web.Data;
using Accrue.Web.Features.Catalog;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Console.Catalog.Plans;

/// <summary>
/// Creates a plan (id "new") or edits one: its terms and change targets, its seat types, its prices
/// (each change a new version, with the history below) and its SLA document.
/// </summary>
public sealed partial class PlanModel(AccrueDb db, CatalogCommands catalog) : CatalogPageModel(db)
{
    /// <summary>Tier rows the form always shows; blank ones are ignored, so no script is needed to add rows.</summary>
    public const int TierRows = 5;
    /// <summary>Blank seat type and currency rows offered below the existing ones.</summary>
    public const int BlankRows = 2;

    public sealed class SeatRow
    {
        public Guid? Id { get; set; }
        public string? Code { get; set; }
        public string? Name { get; set; }
        /// <summary>One module per line, or separated by commas.</summary>
        public string? Modules { get; set; }
        public int SortOrder { get; set; }
        public bool Remove { get; set; }

        public bool IsBlank => Id is null && string.IsNullOrWhiteSpace(Code) && string.IsNullOrWhiteSpace(Name) && string.IsNullOrWhiteSpace(Modules);
    }

    public sealed class TierRow
    {
        public int? UpTo { get; set; }
        public decimal? UnitPrice { get; set; }
        public decimal? FlatFee { get; set; }

        public bool IsBlank => UpTo is null && UnitPrice is null && FlatFee is null;
    }

    public sealed class PriceRow
    {
        public string? Currency { get; set; }
        public decimal? Amount { get; set; }
        public int PackageSize { get; set; } = 1;
        public List<TierRow> Tiers { get; set; } = [];
        public Dictionary<string, decimal?> SeatPrices { get; set; } = new(StringComparer.Ordinal);

        public bool IsBlank => string.IsNullOrWhiteSpace(Currency) && Amount is null && Tiers.All(t => t.IsBlank) && SeatPrices.Values.All(v => v is null);
    }

    public sealed record VersionRow(PlanVersion Version, bool Current, int Subscriptions);

    [BindProperty]
    public PlanInput Input { get; set; } = new();

    [BindProperty]
    public List<SeatRow> Seats { get; set; } = [];

    [BindProperty]
    public List<PriceRow> Prices { get; set; } = [];

    public Plan? Plan { get; private set; }
    public bool IsNew => Plan is null;
    public IReadOnlyList<Product> Products { get; private set; } = [];
    public IReadOnlyList<Plan> OtherPlans { get; private set; } = [];
    public IReadOnlyList<VersionRow> Versions { get; private set; } = [];
    public Document? Sla { get; private set; }

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        if (Plan is { } p) Input = InputFrom(p);
        FillSeatRows();
        FillPriceRows();
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        FillSeatRows();
        FillPriceRows();
        if (HasUnreadableValues()) return Page();
        var saved = Plan is null ? await catalog.CreatePlanAsync(Input, ct: ct) : await catalog.UpdatePlanAsync(Plan.Id, Input, ct);
        if (saved.Failed(out var failure)) return Fail(failure);
        TempData["Flash"] = IsNew ? $"The plan {saved.Value.Name} was created. Add its seat types and prices below." : "The plan was saved.";
        return Redirect($"/console/catalog/plans/{saved.Value.Id}");
    }

    public async Task<IActionResult> OnPostSeatTypesAsync(string id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct) || Plan is null) return NotFound();
        Input = InputFrom(Plan);
        var submitted = Seats;
        FillPriceRows();
        if (HasUnreadableValues()) return Page();
        var rows = submitted.Select((row, index) => (row, index)).Where(r => !r.row.IsBlank && !r.row.Remove).ToList();
        var inputs = rows.Select(r => new SeatTypeInput
        {
            Id = r.row.Id, Code = r.row.Code ?? "", Name = r.row.Name ?? "", SortOrder = r.row.SortOrder,
            Modules = [.. ModuleSeparator().Split(r.row.Modules ?? "").Select(m => m.Trim()).Where(m => m.Length > 0)],
        }).ToList();
        var saved = await catalog.SaveSeatTypesAsync(Plan.Id, inputs, ct);
        if (saved.Failed(out var failure))
            return Fail(failure, field => RowField(field, "SeatTypes", "Seats", i => rows[i].index));
        TempData["Flash"] = "The seat types were saved.";
        return Redirect($"/console/catalog/plans/{Plan.Id}#seat-types");
    }

    public async Task<IActionResult> OnPostPricesAsync(string id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct) || Plan is null) return NotFound();
        Input = InputFrom(Plan);
        FillSeatRows();
        PadPriceRows();
        if (HasUnreadableValues()) return Page();
        var rows = Prices.Select((row, index) => (row, index)).Where(r => !r.row.IsBlank).ToList();
        var inputs = rows.Select(r => new PriceInput
        {
            Currency = r.row.Currency ?? "",
            Amount = r.row.Amount ?? 0,
            PackageSize = r.row.PackageSize,
            Tiers = [.. r.row.Tiers.Where(t => !t.IsBlank).Select(t => new PriceTier(t.UpTo, t.UnitPrice ?? 0, t.FlatFee ?? 0))],
            SeatPrices = r.row.SeatPrices.Where(s => s.Value is not null).ToDictionary(s => s.Key, s => s.Value.GetValueOrDefault(), StringComparer.Ordinal),
        }).ToList();
        var saved = await catalog.ChangePricesAsync(Plan.Id, inputs, ct);
        if (saved.Failed(out var failure))
            return Fail(failure, field => RowField(field, "Prices", "Prices", i => rows[i].index));
        TempData["Flash"] = $"The prices were saved as version {saved.Value.Number}. Existing subscriptions keep their price until they renew.";
        return Redirect($"/console/catalog/plans/{Plan.Id}#prices");
    }

    public async Task<IActionResult> OnPostSlaAsync(string id, IFormFile? sla, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct) || Plan is null) return NotFound();
        Input = InputFrom(Plan);
        FillSeatRows();
        FillPriceRows();
        if (sla is null || sla.Length == 0)
        {
            ModelState.AddModelError("Sla", "Choose a PDF file to upload.");
            return Page();
        }
        await using var stream = sla.OpenReadStream();
        var saved = await catalog.UploadSlaAsync(Plan.Id, sla.FileName, sla.ContentType, stream, ct);
        if (saved.Failed(out var failure)) return Fail(failure, field => field);
        TempData["Flash"] = $"The SLA document {saved.Value.FileName} was uploaded.";
        return Redirect($"/console/catalog/plans/{Plan.Id}#sla");
    }

    /// <summary>"SeatTypes[2].Code" from the command is "Seats[4].Code" on the form, where blank rows were skipped.</summary>
    private static string RowField(string field, string commandName, string formName, Func<int, int> formIndex)
    {
        var match = Regex.Match(field, $@"^{commandName}\[(\d+)\](.*)$");
        if (match.Success && int.TryParse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture, out var i))
            return $"{formName}[{formIndex(i)}]{match.Groups[2].Value}";
        return field == commandName ? formName : field;
    }

    [GeneratedRegex(@"[,\r\n]+")]
    private static partial Regex ModuleSeparator();

    private static PlanInput InputFrom(Plan p) => new()
    {
        ProductId = p.ProductId, Code = p.Code, Name = p.Name, Period = p.Period, Model = p.Model, TrialDays = p.TrialDays,
        CancellationRule = p.CancellationRule, MinimumTermMonths = p.MinimumTermMonths, SoldPerUnit = p.SoldPerUnit,
        UnitName = p.UnitName, MaxQuantity = p.MaxQuantity, ChangeTargetIds = [.. p.ChangeTargetIds], Active = p.Active,
    };

    private void FillSeatRows()
    {
        Seats = [.. (Plan?.SeatTypes ?? []).OrderBy(s => s.SortOrder).Select(s => new SeatRow
        {
            Id = s.Id, Code = s.Code, Name = s.Name, Modules = string.Join(Environment.NewLine, s.Modules), SortOrder = s.SortOrder,
        })];
        var next = Seats.Count == 0 ? 0 : Seats.Max(s => s.SortOrder) + 1;
        for (var i = 0; i < BlankRows; i++) Seats.Add(new SeatRow { SortOrder = next + i });
    }

    private void FillPriceRows()
    {
        var current = Versions.FirstOrDefault(v => v.Current)?.Version;
        Prices = [.. (current?.Prices ?? []).Select(p => new PriceRow
        {
            Currency = p.Currency, Amount = p.Amount, PackageSize = p.PackageSize,
            Tiers = [.. p.Tiers.Select(t => new TierRow { UpTo = t.UpTo, UnitPrice = t.UnitPrice, FlatFee = t.FlatFee })],
            SeatPrices = (Plan?.SeatTypes ?? []).Where(s => p.SeatPrices?.ContainsKey(s.Id) == true)
                .ToDictionary(s => s.Code, s => (decimal?)p.SeatPrices![s.Id], StringComparer.Ordinal),
        })];
        for (var i = 0; i < BlankRows; i++) Prices.Add(new PriceRow());
        PadPriceRows();
    }

    private void PadPriceRows()
    {
        foreach (var row in Prices)
            while (row.Tiers.Count < TierRows) row.Tiers.Add(new TierRow());
    }

    private async Task<bool> LoadAsync(string id, CancellationToken ct)
    {
        Products = await Db.Products.AsNoTracking().OrderBy(p => p.Name).ToListAsync(ct);
        if (id == "new")
        {
            OtherPlans = await Db.Plans.AsNoTracking().OrderBy(p => p.Name).ToListAsync(ct);
            return true;
        }
        if (!Guid.TryParse(id, out var guid)) return false;
        Plan = await Db.Plans.AsNoTracking().Include(p => p.SeatTypes).Include(p => p.Product).SingleOrDefaultAsync(p => p.Id == guid, ct);
        if (Plan is null) return false;
        OtherPlans = await Db.Plans.AsNoTracking().Where(p => p.Id != guid).OrderBy(p => p.Name).ToListAsync(ct);
        var versions = await Db.PlanVersions.AsNoTracking().Where(v => v.PlanId == guid).ToListAsync(ct);
        var counts = await Db.Subscriptions.IgnoreQueryFilters().Where(s => s.PlanId == guid)
            .GroupBy(s => s.PlanVersionId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        Versions = [.. versions.OrderByDescending(v => v.Number).Select(v => new VersionRow(v, v.Id == Plan.CurrentVersionId, counts.GetValueOrDefault(v.Id)))];
        if (Plan.SlaDocumentId is { } doc)
            Sla = await Db.Documents.AsNoTracking().Where(d => d.Id == doc)
                .Select(d => new Document { Id = d.Id, FileName = d.FileName, ContentType = d.ContentType, Content = Array.Empty<byte>(), CreatedAt = d.CreatedAt })
                .SingleOrDefaultAsync(ct);
        return true;
    }
}
