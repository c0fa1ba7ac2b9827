using Accrue.Domain.Usage;
using Accrue.Web.Data;
using Accrue.Web.Features.Console.Catalog;
using Accrue.Web.Features.Usage;
using Microsoft.AspNetCore.Mvc;

namespace Accrue.Web.Features.Console.Meters;

/// <summary>
/// The meters usage is counted in (seed 000: OCR, SMS, WhatsApp): the form at the top adds one, or
/// edits the one picked with "Edit" (?edit=id) — name, unit, overage and the low-balance threshold.
/// </summary>
public sealed class IndexModel(AccrueDb db, MeterCommands meters) : CatalogPageModel(db)
{
    [BindProperty]
    public MeterInput Input { get; set; } = new();

    [BindProperty(SupportsGet = true, Name = "edit")]
    public Guid? EditId { get; set; }

    public IReadOnlyList<Meter> Meters { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        Meters = await meters.ListAsync(ct);
        if (EditId is { } id)
        {
            var meter = Meters.FirstOrDefault(m => m.Id == id);
            if (meter is null) return NotFound();
            Input = new MeterInput { Code = meter.Code, Name = meter.Name, UnitName = meter.UnitName, AllowOverage = meter.AllowOverage, LowBalanceThreshold = meter.LowBalanceThreshold };
        }
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        Meters = await meters.ListAsync(ct);
        if (HasUnreadableValues()) return Page();
        var saved = EditId is { } id ? await meters.UpdateAsync(id, Input, ct) : await meters.CreateAsync(Input, ct);
        if (saved.Failed(out var failure)) return Fail(failure);
        TempData["Flash"] = $"The meter {saved.Value.Name} ({saved.Value.Code}) was saved.";
        return Redirect("/console/meters");
    }
}
