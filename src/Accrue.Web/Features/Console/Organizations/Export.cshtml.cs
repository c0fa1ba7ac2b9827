using Accrue.Web.Features.Organizations;
using Accrue.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Accrue.Web.Features.Console.Organizations;

/// <summary>The organization's data as a ZIP (JSON and invoice PDFs), for staff who may see the organization.</summary>
public sealed class ExportModel(AccountExport export) : PageModel
{
    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        var result = await export.ExportAsync(id, ct);
        return result.Failed(out var failure) ? failure.ToPageResult(this) : File(result.Value.Content, "application/zip", result.Value.FileName);
    }
}
