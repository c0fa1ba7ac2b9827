using Accrue.Domain.Common;
using Accrue.Domain.Wallets;
using Accrue.Web.Data;
using Accrue.Web.Features.Api;
using Accrue.Web.Features.Orders;
using Accrue.Web.Infrastructure.Payments;
using Accrue.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Wallet;

/// <summary>A prepaid organization's wallet: its balance is the running total of its ledger.</summary>
public sealed record WalletResponse(Guid OrganizationId, Amount Balance, string Currency, long Entries);

/// <summary>One ledger entry: the amount is signed (credits positive, debits negative).</summary>
public sealed record WalletEntryResponse(Guid Id, long Sequence, DateTimeOffset At, WalletEntryKind Kind, WalletDirection Direction, Amount Amount,
    Amount BalanceAfter, string Currency, string Description, string? Reason, Guid? OrderId)
{
    public static WalletEntryResponse From(WalletEntry e) =>
        new(e.Id, e.Sequence, e.At, e.Kind, e.IsCredit ? WalletDirection.Credit : WalletDirection.Debit, e.Amount.ToAmount(e.Currency), e.BalanceAfter.ToAmount(e.Currency), e.Currency,
            e.Description, e.Reason, e.OrderId);
}

public sealed record TopUpRequest(decimal? Amount, CardInput? Card, bool Acknowledged);

public sealed record AdjustmentRequest(WalletDirection? Direction, decimal? Amount, string? Reason);

public sealed record WithdrawalRequest(decimal? Amount, string? Reason);

/// <summary>/api/v1/organizations/{orgId}/wallet: balance, history, top-ups by card, operator adjustments and withdrawals.</summary>
public static class WalletApi
{
    public static RouteGroupBuilder MapWalletApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/organizations/{orgId:guid}/wallet").WithTags("Wallet");
        group.MapGet("", GetAsync).WithName("GetWallet")
            .WithSummary("A prepaid organization's wallet balance.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet("/entries", EntriesAsync).WithName("ListWalletEntries")
            .WithSummary("The wallet's ledger, oldest first; filter by kind, direction (Credit or Debit) and date (UTC days).")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/export.csv", ExportAsync).WithName("ExportWalletEntries")
            .WithSummary("The wallet's history as the portal's CSV export, oldest first, with the same filters as the entries.")
            .Produces<string>(StatusCodes.Status200OK, "text/csv")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/top-ups", TopUpAsync).WithName("TopUpWallet")
            .WithSummary("Places a top-up order for the amount and pays it by card; the wallet is credited when the card is charged. Top-ups get no invoice.")
            .WithDescription("201 with the order, the payment and the wallet's credit when the card is charged (or the order SystemProcessing while the "
                + "processor's answer is unknown); 200 with the order Failed and the payment Declined when the card is refused, like paying an order.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity).Idempotent();
        group.MapPost("/adjustments", AdjustAsync).WithName("AdjustWallet")
            .WithSummary("Operator keys only: credits or debits the wallet with a required reason (audited). A debit beyond the balance is refused with 409.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity).Idempotent();
        group.MapPost("/withdrawals", WithdrawAsync).WithName("WithdrawWallet")
            .WithSummary("Operator keys only: refunds the amount given, or the whole balance, so the account can be closed (audited).")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity).Idempotent();
        return api;
    }

    private static async Task<Results<Ok<WalletResponse>, ProblemHttpResult>> GetAsync(Guid orgId, AccrueDb db, WalletLedger ledger, CancellationToken ct)
    {
        var organization = await db.Organizations.AsNoTracking().SingleOrDefaultAsync(o => o.Id == orgId, ct);
        if (organization is null) return Failure.NotFound("Organization").ToProblem();
        if (WalletCommands.NotPrepaid(organization) is { } postpaid) return postpaid.ToProblem();
        var wallet = await ledger.FindAsync(orgId, ct);
        var currency = wallet?.Currency ?? organization.Currency;
        return TypedResults.Ok(new WalletResponse(orgId, (wallet?.Balance ?? 0m).ToAmount(currency), currency, wallet?.LastSequence ?? 0));
    }

    private static async Task<Results<Ok<Page<WalletEntryResponse>>, ProblemHttpResult>> EntriesAsync(
        Guid orgId, AccrueDb db, CancellationToken ct, int? limit = null, string? cursor = null, WalletEntryKind? kind = null,
        WalletDirection? direction = null, DateOnly? from = null, DateOnly? to = null)
    {
        var page = Paging.Parse(limit, cursor);
        if (page.Failed(out var failure)) return failure.ToProblem();
        var filter = new WalletFilter(kind, direction, from, to);
        if (filter.Validate() is { Any: true } errors) return errors.ToFailure().ToProblem();
        if (!await db.Organizations.AnyAsync(o => o.Id == orgId, ct)) return Failure.NotFound("Organization").ToProblem();
        var query = filter.Apply(db.WalletEntries.AsNoTracking().Where(e => e.OrganizationId == orgId));
        return TypedResults.Ok(await query.PageAsync(page.Value, WalletEntryResponse.From, ct));
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> ExportAsync(
        Guid orgId, AccrueDb db, TimeProvider clock, CancellationToken ct, WalletEntryKind? kind = null, WalletDirection? direction = null,
        DateOnly? from = null, DateOnly? to = null)
    {
        var filter = new WalletFilter(kind, direction, from, to);
        if (filter.Validate() is { Any: true } errors) return errors.ToFailure().ToProblem();
        var organization = await db.Organizations.AsNoTracking().SingleOrDefaultAsync(o => o.Id == orgId, ct);
        if (organization is null) return Failure.NotFound("Organization").ToProblem();
        if (WalletCommands.NotPrepaid(organization) is { } postpaid) return postpaid.ToProblem();
        var csv = await WalletView.CsvAsync(db, orgId, filter, ct);
        return TypedResults.File(csv, "text/csv; charset=utf-8", $"wallet-{clock.GetUtcNow():yyyy-MM-dd}.csv");
    }

    /// <summary>A declined card answers 200 with the Failed order, as POST /orders/{id}/pay does: no top-up was made (docs/api.md).</summary>
    private static async Task<Results<Created<PurchaseResponse>, Ok<PurchaseResponse>, ProblemHttpResult>> TopUpAsync(Guid orgId, TopUpRequest request,
        WalletCommands wallet, CancellationToken ct)
    {
        var result = await wallet.TopUpAsync(orgId, request.Amount ?? 0m, request.Card ?? new CardInput(), request.Acknowledged, ct);
        if (result.Failed(out var failure)) return failure.ToProblem();
        var (order, payment, entry) = result.Value;
        var response = PurchaseResponse.From(order, payment, entry);
        return order.Status == Domain.Orders.OrderStatus.Failed ? TypedResults.Ok(response) : TypedResults.Created($"/api/v1/orders/{order.Id}", response);
    }

    private static async Task<Results<Created<WalletEntryResponse>, ProblemHttpResult>> AdjustAsync(Guid orgId, AdjustmentRequest request,
        WalletCommands wallet, CancellationToken ct)
    {
        var result = await wallet.AdjustAsync(orgId, request.Direction, request.Amount, request.Reason, ct);
        return result.Failed(out var failure) ? failure.ToProblem()
            : TypedResults.Created($"/api/v1/organizations/{orgId}/wallet/entries", WalletEntryResponse.From(result.Value));
    }

    private static async Task<Results<Created<WalletEntryResponse>, ProblemHttpResult>> WithdrawAsync(Guid orgId, WithdrawalRequest request,
        WalletCommands wallet, CancellationToken ct)
    {
        var result = await wallet.WithdrawAsync(orgId, request.Amount, request.Reason, ct);
        return result.Failed(out var failure) ? failure.ToProblem()
            : TypedResults.Created($"/api/v1/organizations/{orgId}/wallet/entries", WalletEntryResponse.From(result.Value));
    }
}
