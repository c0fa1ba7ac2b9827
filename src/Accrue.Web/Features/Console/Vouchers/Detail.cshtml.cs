using Accrue.Domain.Vouchers;
using Accrue.Web.Features.Vouchers;
using Accrue.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Accrue.Web.Features.Console.Vouchers;

/// <summary>One batch: its codes (online codes masked once sold) and, for print batches, the exports.</summary>
public sealed class DetailModel(VoucherCommands vouchers) : PageModel
{
    public BatchSummary Summary { get; private set; } = null!;
    public IReadOnlyList<Voucher> Codes { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (await vouchers.BatchAsync(id, ct) is not { } found) return NotFound();
        (Summary, Codes) = (found.Summary, found.Codes);
        return Page();
    }

    public string Shown(Voucher v) =>
        Summary.Batch.Kind == VoucherKind.Online && v.Status != VoucherStatus.Available ? VoucherCode.Mask(v.Code) : VoucherCode.Format(v.Code);

    public async Task<IActionResult> OnPostCsvAsync(Guid id, CancellationToken ct)
    {
        var result = await vouchers.ExportAsync(id, "csv", ct);
        if (result.Failed(out var failure)) return await FailedAsync(id, failure, ct);
        var (batch, codes) = result.Value;
        return File(VoucherSheet.Csv(batch, codes), "text/csv", $"vouchers-{batch.Id:N}.csv");
    }

    public async Task<IActionResult> OnPostPdfAsync(Guid id, CancellationToken ct)
    {
        var result = await vouchers.PrintSheetAsync(id, ct);
        if (result.Failed(out var failure)) return await FailedAsync(id, failure, ct);
        var (batch, pdf) = result.Value;
        return File(pdf, "application/pdf", $"vouchers-{batch.Id:N}.pdf");
    }

    private async Task<IActionResult> FailedAsync(Guid id, Domain.Common.Failure failure, CancellationToken ct)
    {
        if (await vouchers.BatchAsync(id, ct) is not { } found) return NotFound();
        (Summary, Codes) = (found.Summary, found.Codes);
        return failure.ToPageResult(this);
    }
}
