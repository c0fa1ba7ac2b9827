using Accrue.Web.Data;
using Accrue.Web.Features.Organizations;
using Accrue.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Accrue.Web.Features.Portal.Settings;

/// <summary>The Owner downloads the organization's data (JSON and invoice PDFs), before the account is deleted or any time.</summary>
public sealed class ExportModel(AccrueDb db, AccountExport export) : PageModel
{
    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (db.Actor.OrganizationId is not { } organizationId) return NotFound();
        var result = await export.ExportAsync(organizationId, ct);
        return result.Failed(out var failure) ? failure.ToPageResult(this) : File(result.Value.Content, "application/zip", result.Value.FileName);
    }
}
