using Accrue.Domain.Accounts;
using Accrue.Web.Data;
using Accrue.Web.Features.Organizations;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Console.Organizations;

/// <summary>The general and billing fields shared by the create and settings pages (partial _OrganizationFields).</summary>
public abstract class OrganizationFormModel(AccrueDb db) : PageModel
{
    [BindProperty]
    public OrganizationInput Input { get; set; } = new();

    public IReadOnlyList<Partner> Partners { get; private set; } = [];

    /// <summary>The tax each country implies (seed 001: "Country: determines the tax applied"), e.g. DE → "MwSt 19 %".</summary>
    public IReadOnlyDictionary<string, string> TaxByCountry { get; private set; } = new Dictionary<string, string>();

    public string TaxText(string? country) =>
        string.IsNullOrEmpty(country) ? "Choose a country to see the tax its invoices carry."
        : TaxByCountry.TryGetValue(country, out var tax) ? $"Invoices carry {tax}."
        : "No tax rate is set for this country: invoices carry no tax.";

    /// <summary>Partner staff always work under their own partner; only operator staff choose.</summary>
    public virtual bool ShowPartner => false;

    protected AccrueDb Db => db;

    protected async Task LoadListsAsync(CancellationToken ct)
    {
        if (ShowPartner) Partners = await db.Partners.AsNoTracking().OrderBy(p => p.Name).ToListAsync(ct);
        var rates = await db.TaxRates.AsNoTracking().Select(r => new { r.Country, r.Name, r.Rate }).ToListAsync(ct);
        TaxByCountry = rates.GroupBy(r => r.Country).ToDictionary(g => g.Key,
            g => $"{g.First().Name} {(g.First().Rate * 100m).ToString("0.####", System.Globalization.CultureInfo.InvariantCulture)} %");
    }

    /// <summary>
    /// The use cases validate every field themselves; MVC's implicit "required" checks on
    /// non-nullable strings would only repeat them. What remains are values that could not be
    /// read at all (an unknown billing mode): true when there are such.
    /// </summary>
    protected bool HasUnreadableValues()
    {
        foreach (var (key, entry) in ModelState.ToList())
            if (string.IsNullOrEmpty(entry?.AttemptedValue)) ModelState.Remove(key);
        return !ModelState.IsValid;
    }

    public static OrganizationInput InputFrom(Organization organization) => new()
    {
        Name = organization.Name,
        BillingName = organization.BillingName == organization.Name ? null : organization.BillingName,
        BillingAddress = organization.BillingAddress,
        Country = organization.Country,
        Currency = organization.Currency,
        TimeZone = organization.TimeZone,
        BillingMode = organization.BillingMode,
        PaymentTermsDays = organization.PaymentTermsDays,
        PartnerId = organization.PartnerId,
    };
}
