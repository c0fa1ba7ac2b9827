using Accrue.Domain.Catalog;
using Accrue.Web.Data;
using Accrue.Web.Features.Catalog;
using Accrue.Web.Features.Console.Catalog;
using Accrue.Web.Features.Shared;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Console.TaxRates;

/// <summary>
/// Tax rates per country. The form at the top adds a rate, or edits the one picked with "Edit"
/// (?edit=id), so the page needs no script.
/// </summary>
public sealed class IndexModel(AccrueDb db, CatalogCommands catalog) : CatalogPageModel(db)
{
    [BindProperty]
    public TaxRateInput Input { get; set; } = new();

    /// <summary>The rate being edited; null when adding.</summary>
    [BindProperty(SupportsGet = true, Name = "edit")]
    public Guid? EditId { get; set; }

    public IReadOnlyList<TaxRate> Rates { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        if (EditId is { } id)
        {
            var rate = Rates.FirstOrDefault(r => r.Id == id);
            if (rate is null) return NotFound();
            Input = new TaxRateInput { Country = rate.Country, Name = rate.Name, RatePercent = rate.Rate * 100m };
        }
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        if (HasUnreadableValues()) return Page();
        var saved = EditId is { } id ? await catalog.UpdateTaxRateAsync(id, Input, ct) : await catalog.CreateTaxRateAsync(Input, ct);
        if (saved.Failed(out var failure)) return Fail(failure);
        TempData["Flash"] = $"The tax rate for {ConsoleLists.CountryName(saved.Value.Country)} was saved.";
        return Redirect("/console/tax-rates");
    }

    public async Task<IActionResult> OnPostDeleteAsync(Guid id, CancellationToken ct)
    {
        await LoadAsync(ct);
        EditId = null;
        var deleted = await catalog.DeleteTaxRateAsync(id, ct);
        if (deleted.Failed(out var failure)) return Fail(failure);
        TempData["Flash"] = $"The tax rate for {ConsoleLists.CountryName(deleted.Value.Country)} was removed; its organizations are taxed at 0 %.";
        return Redirect("/console/tax-rates");
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var rates = await Db.TaxRates.AsNoTracking().ToListAsync(ct);
        Rates = [.. rates.OrderBy(r => ConsoleLists.CountryName(r.Country), StringComparer.CurrentCulture)];
    }
}
