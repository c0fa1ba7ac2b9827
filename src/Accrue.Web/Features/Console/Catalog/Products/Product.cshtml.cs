using Accrue.Domain.Catalog;
using Accrue.Web.Data;
using Accrue.Web.Features.Catalog;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Console.Catalog.Products;

/// <summary>Creates a product (id "new") or edits one.</summary>
public sealed class ProductModel(AccrueDb db, CatalogCommands catalog) : CatalogPageModel(db)
{
    [BindProperty]
    public ProductInput Input { get; set; } = new();

    public Product? Product { get; private set; }

    public bool IsNew => Product is null;

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        if (Product is { } p)
            Input = new ProductInput { Code = p.Code, Name = p.Name, Description = p.Description, Kind = p.Kind, Meter = p.Meter, UnitsPerPack = p.UnitsPerPack, Active = p.Active };
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        if (HasUnreadableValues()) return Page();
        var saved = Product is null ? await catalog.CreateProductAsync(Input, ct) : await catalog.UpdateProductAsync(Product.Id, Input, ct);
        if (saved.Failed(out var failure)) return Fail(failure);
        TempData["Flash"] = IsNew ? $"The product {saved.Value.Name} was created." : "The product was saved.";
        return Redirect($"/console/catalog/products/{saved.Value.Id}");
    }

    private async Task<bool> LoadAsync(string id, CancellationToken ct)
    {
        if (id == "new") return true;
        if (!Guid.TryParse(id, out var guid)) return false;
        Product = await Db.Products.AsNoTracking().SingleOrDefaultAsync(p => p.Id == guid, ct);
        return Product is not null;
    }
}
