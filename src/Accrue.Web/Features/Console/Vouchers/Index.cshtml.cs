using Accrue.Web.Features.Vouchers;
using Accrue.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Accrue.Web.Features.Console.Vouchers;

/// <summary>The vouchers module (seed 004): the operator's batches and the form that issues a new one.</summary>
public sealed class IndexModel(VoucherCommands vouchers) : PageModel
{
    [BindProperty]
    public VoucherBatchInput Input { get; set; } = new() { Count = 100 };

    public IReadOnlyList<BatchSummary> Batches { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        Batches = await vouchers.BatchesAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        // Empty optional fields arrive as "" and fail binding; the use case says what is missing instead.
        foreach (var (key, entry) in ModelState.ToList())
            if (string.IsNullOrEmpty(entry?.AttemptedValue)) ModelState.Remove(key);
        if (!ModelState.IsValid)
        {
            Batches = await vouchers.BatchesAsync(ct);
            return Page();
        }
        var result = await vouchers.CreateBatchAsync(Input, ct);
        if (result.Failed(out var failure))
        {
            Batches = await vouchers.BatchesAsync(ct);
            return failure.ToPageResult(this);
        }
        TempData["Flash"] = $"Batch \"{result.Value.Name}\" issued with {result.Value.Count:N0} codes.";
        return Redirect($"/console/vouchers/{result.Value.Id}");
    }
}
