using Accrue.Domain.Common;
using Accrue.Domain.Vouchers;
using Accrue.Web.Data;
using Accrue.Web.Features.Api;
using Accrue.Web.Features.Orders;
using Accrue.Web.Infrastructure.Payments;
using Accrue.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Vouchers;

/// <summary>A batch worth <c>amount</c> of wallet credit in <c>currency</c>, or <c>units</c> of a meter; online batches sell at <c>price</c> in <c>priceCurrency</c>.</summary>
public sealed record VoucherBatchResponse(Guid Id, string Name, VoucherKind Kind, Amount? Amount, string? Currency, long? Units, string? Meter,
    Amount? Price, string? PriceCurrency, int Count, int Available, int Sold, int Redeemed, DateOnly ExpiresOn, DateTimeOffset? ExportedAt)
{
    public static VoucherBatchResponse From(BatchSummary s) =>
        new(s.Batch.Id, s.Batch.Name, s.Batch.Kind, s.Batch.Amount.ToAmount(s.Batch.Currency), s.Batch.Currency, s.Batch.Units, s.Batch.Meter,
            s.Batch.Price.ToAmount(s.Batch.PriceCurrency), s.Batch.PriceCurrency,
            s.Batch.Count, s.Available, s.Sold, s.Redeemed, s.Batch.ExpiresOn, s.Batch.ExportedAt);
}

/// <summary>A code as the operator sees it: online codes once sold are masked, like the buyer sees them.</summary>
public sealed record VoucherResponse(Guid Id, string Code, VoucherStatus Status, Guid? SoldToOrganizationId, Guid? RedeemedByOrganizationId, DateTimeOffset? RedeemedAt);

public sealed record VoucherBatchDetailResponse(VoucherBatchResponse Batch, IReadOnlyList<VoucherResponse> Codes);

/// <summary>
/// A voucher an organization bought, masked: the full code was shown once, after paying, and emailed. It is worth
/// <c>amount</c> of wallet credit in <c>currency</c>, or <c>units</c> of <c>meter</c>.
/// </summary>
public sealed record OwnedVoucherResponse(Guid Id, string Code, string Batch, Amount? Amount, string? Currency, long? Units, string? Meter,
    VoucherStatus Status, DateOnly ExpiresOn, Guid? OrderId);

public sealed record RedeemVoucherRequest(string? Code);

/// <summary>
/// What a redeemed code gave: <c>amount</c> of wallet credit in <c>currency</c> and the new <c>walletBalance</c>, or
/// <c>units</c> of <c>meter</c> and the new <c>unitBalance</c>. The code is masked.
/// </summary>
public sealed record RedeemVoucherResponse(string Code, Amount? Amount, string? Currency, long? Units, string? Meter, Amount? WalletBalance, long? UnitBalance);

public sealed record BuyVouchersRequest(Guid BatchId, int Quantity, CardInput? Card, bool Acknowledged);

/// <summary>The order and, this once, the full codes bought.</summary>
public sealed record BuyVouchersResponse(OrderResponse Order, PaymentResponse? Payment, IReadOnlyList<string> Codes);

/// <summary>/api/v1/voucher-batches (operator) and /api/v1/organizations/{orgId}/vouchers (customers), through <see cref="VoucherCommands"/>.</summary>
public static class VouchersApi
{
    public static RouteGroupBuilder MapVouchersApi(this RouteGroupBuilder api)
    {
        var batches = api.MapGroup("/voucher-batches").WithTags("Vouchers");
        batches.MapPost("/", CreateAsync).WithName("CreateVoucherBatch")
            .WithSummary("Issues a batch of single-use codes (operator only): online (sold in the portal) or print (exported for a print house).")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden);
        batches.MapGet("/", ListAsync).WithName("ListVoucherBatches").WithSummary("Lists the voucher batches with how many codes are available, sold and redeemed (operator keys only).").ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden);
        batches.MapGet("/{id:guid}", GetAsync).WithName("GetVoucherBatch").WithSummary("One voucher batch with its codes; sold online codes are masked (operator keys only).").ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        batches.MapGet("/{id:guid}/export.csv", ExportAsync).WithName("ExportVoucherBatch")
            .WithSummary("The codes of a print batch as CSV for the print house; marks the batch exported (audited).")
            .Produces<string>(StatusCodes.Status200OK, "text/csv")
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        batches.MapGet("/{id:guid}/sheet.pdf", SheetAsync).WithName("GetVoucherBatchSheet")
            .WithSummary("The codes of a print batch as the console's printable A4 sheet of cut-out cards; marks the batch exported (audited).")
            .Produces<Stream>(StatusCodes.Status200OK, "application/pdf")
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        var owned = api.MapGroup("/organizations/{orgId:guid}/vouchers").WithTags("Vouchers");
        owned.MapGet("/", OwnedAsync).WithName("ListVouchers").WithSummary("The vouchers the organization bought, masked.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        owned.MapPost("/redeem", RedeemAsync).WithName("RedeemVoucher")
            .WithSummary("Redeems a code for wallet credit (prepaid organizations) or units. Too many wrong codes answer 429 for a while.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status429TooManyRequests).Idempotent();
        owned.MapPost("/purchase", BuyAsync).WithName("BuyVouchers")
            .WithSummary("Buys online vouchers by card (no tax: vouchers are prepaid instruments). The codes are in this answer and the email only.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity).Idempotent();
        return api;
    }

    private static async Task<Results<Created<VoucherBatchResponse>, ProblemHttpResult>> CreateAsync(VoucherBatchInput input, VoucherCommands vouchers, CancellationToken ct)
    {
        var result = await vouchers.CreateBatchAsync(input, ct);
        if (result.Failed(out var failure)) return failure.ToProblem();
        var batch = result.Value;
        return TypedResults.Created($"/api/v1/voucher-batches/{batch.Id}", VoucherBatchResponse.From(new BatchSummary(batch, batch.Count, 0, 0)));
    }

    private static async Task<Results<Ok<Page<VoucherBatchResponse>>, ProblemHttpResult>> ListAsync(AccrueDb db, VoucherCommands vouchers, CancellationToken ct,
        int? limit = null, string? cursor = null)
    {
        if (!db.Actor.IsOperator) return Failure.Forbidden("Only the operator's staff see voucher batches.").ToProblem();
        var page = Paging.PageOf((await vouchers.BatchesAsync(ct)).Select(VoucherBatchResponse.From).ToList(), b => b.Id.ToString("N"), limit, cursor);
        return page.Failed(out var failure) ? failure.ToProblem() : TypedResults.Ok(page.Value);
    }

    private static async Task<Results<Ok<VoucherBatchDetailResponse>, ProblemHttpResult>> GetAsync(Guid id, AccrueDb db, VoucherCommands vouchers, CancellationToken ct)
    {
        if (!db.Actor.IsOperator) return Failure.Forbidden("Only the operator's staff see voucher batches.").ToProblem();
        if (await vouchers.BatchAsync(id, ct) is not { } found) return Failure.NotFound("Voucher batch").ToProblem();
        var masked = found.Summary.Batch.Kind == VoucherKind.Online;
        return TypedResults.Ok(new VoucherBatchDetailResponse(VoucherBatchResponse.From(found.Summary), found.Codes.Select(v => new VoucherResponse(
            v.Id, masked && v.Status != VoucherStatus.Available ? VoucherCode.Mask(v.Code) : VoucherCode.Format(v.Code), v.Status,
            v.SoldToOrganizationId, v.RedeemedByOrganizationId, v.RedeemedAt)).ToList()));
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> ExportAsync(Guid id, VoucherCommands vouchers, CancellationToken ct)
    {
        var result = await vouchers.ExportAsync(id, "csv", ct);
        if (result.Failed(out var failure)) return failure.ToProblem();
        var (batch, codes) = result.Value;
        return TypedResults.File(VoucherSheet.Csv(batch, codes), "text/csv", $"vouchers-{batch.Id:N}.csv");
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> SheetAsync(Guid id, VoucherCommands vouchers, CancellationToken ct)
    {
        var result = await vouchers.PrintSheetAsync(id, ct);
        if (result.Failed(out var failure)) return failure.ToProblem();
        var (batch, pdf) = result.Value;
        return TypedResults.File(pdf, "application/pdf", $"vouchers-{batch.Id:N}.pdf");
    }

    private static async Task<Results<Ok<Page<OwnedVoucherResponse>>, ProblemHttpResult>> OwnedAsync(Guid orgId, AccrueDb db, VoucherCommands vouchers, CancellationToken ct,
        int? limit = null, string? cursor = null)
    {
        if (!await db.Organizations.AnyAsync(o => o.Id == orgId, ct)) return Failure.NotFound("Organization").ToProblem();
        var rows = (await vouchers.BoughtAsync(orgId, ct)).Select(r => new OwnedVoucherResponse(
            r.Voucher.Id, VoucherCode.Mask(r.Voucher.Code), r.Batch.Name, r.Batch.Amount.ToAmount(r.Batch.Currency), r.Batch.Amount is null ? null : r.Batch.Currency,
            r.Batch.Units, r.Batch.Meter, r.Voucher.Status, r.Batch.ExpiresOn, r.Voucher.OrderId)).ToList();
        var page = Paging.PageOf(rows, v => v.Id.ToString("N"), limit, cursor);
        return page.Failed(out var failure) ? failure.ToProblem() : TypedResults.Ok(page.Value);
    }

    private static async Task<Results<Ok<RedeemVoucherResponse>, ProblemHttpResult>> RedeemAsync(Guid orgId, RedeemVoucherRequest request, VoucherCommands vouchers, CancellationToken ct)
    {
        var result = await vouchers.RedeemAsync(orgId, request.Code, ct);
        if (result.Failed(out var failure)) return failure.ToProblem();
        var r = result.Value;
        return TypedResults.Ok(new RedeemVoucherResponse(VoucherCode.Mask(r.Code), r.Amount.ToAmount(r.Currency), r.Currency, r.Units, r.Meter,
            r.WalletBalance.ToAmount(r.Currency), r.UnitBalance));
    }

    private static async Task<Results<Ok<BuyVouchersResponse>, ProblemHttpResult>> BuyAsync(Guid orgId, BuyVouchersRequest request, VoucherCommands vouchers, CancellationToken ct)
    {
        var result = await vouchers.BuyAsync(orgId, request.BatchId, request.Quantity, request.Card ?? new CardInput(), request.Acknowledged, ct);
        if (result.Failed(out var failure)) return failure.ToProblem();
        var r = result.Value;
        return TypedResults.Ok(new BuyVouchersResponse(OrderResponse.From(r.Order), r.Payment is null ? null : PaymentResponse.From(r.Payment), r.Codes.Select(VoucherCode.Format).ToList()));
    }
}
