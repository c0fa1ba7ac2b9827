using Accrue.Domain.Usage;
using Accrue.Web.Data;
using Accrue.Web.Features.Api;
using Accrue.Web.Features.Orders;
using Accrue.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Usage;

public sealed record MeterResponse(Guid Id, string Code, string Name, string UnitName, bool AllowOverage, long LowBalanceThreshold)
{
    public static MeterResponse From(Meter m) => new(m.Id, m.Code, m.Name, m.UnitName, m.AllowOverage, m.LowBalanceThreshold);
}

public sealed record BuyUnitPacksRequest(Guid PlanId, int Packs, bool Acknowledged);

/// <summary>Up to 1,000 usage events; each id is counted once, ever.</summary>
public sealed record UsageBatchRequest(List<UsageEventInput>? Events);

/// <summary>
/// Meters (operator), unit balances, unit packs and usage ingestion (issue 4 §3):
/// /api/v1/meters, /api/v1/organizations/{orgId}/units and /api/v1/organizations/{orgId}/usage.
/// </summary>
public static class UsageApi
{
    public static RouteGroupBuilder MapUsageApi(this RouteGroupBuilder api)
    {
        var meters = api.MapGroup("/meters").WithTags("Usage");
        meters.MapGet("/", async Task<Results<Ok<Page<MeterResponse>>, ProblemHttpResult>> (MeterCommands commands, CancellationToken ct, int? limit = null, string? cursor = null) =>
            {
                var page = Paging.PageOf((await commands.ListAsync(ct)).Select(MeterResponse.From).ToList(), m => m.Code, limit, cursor);
                return page.Failed(out var failure) ? failure.ToProblem() : TypedResults.Ok(page.Value);
            })
            .WithName("ListMeters").WithSummary("Lists the meters usage is counted in (ocr, sms, whatsapp, …). The catalog is public to every key, like plans and products.")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        meters.MapPost("/", async Task<Results<Created<MeterResponse>, ProblemHttpResult>> (MeterInput input, MeterCommands commands, CancellationToken ct) =>
            {
                var created = await commands.CreateAsync(input, ct);
                return created.Failed(out var failure) ? failure.ToProblem()
                    : TypedResults.Created($"{ApiSetup.Prefix}/meters/{created.Value.Id}", MeterResponse.From(created.Value));
            })
            .WithName("CreateMeter").WithSummary("Creates a meter with a unique code (operator only).")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden);
        meters.MapPut("/{id:guid}", async Task<Results<Ok<MeterResponse>, ProblemHttpResult>> (Guid id, MeterInput input, MeterCommands commands, CancellationToken ct) =>
            {
                var updated = await commands.UpdateAsync(id, input, ct);
                return updated.Failed(out var failure) ? failure.ToProblem() : TypedResults.Ok(MeterResponse.From(updated.Value));
            })
            .WithName("UpdateMeter").WithSummary("Changes a meter's name, unit name, overage rule and low-balance threshold (operator only); the code stays.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);

        var organization = api.MapGroup("/organizations/{orgId:guid}").WithTags("Usage");
        organization.MapGet("/units", BalancesAsync).WithName("ListUnitBalances")
            .WithSummary("The organization's unit balance per meter, its overage and the units used in the last 30 days.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        organization.MapPost("/units/packs", BuyPacksAsync).WithName("BuyUnitPacks")
            .WithSummary("Places an order for unit packs; pay it with POST /api/v1/orders/{id}/pay and the units are added. Customers must send acknowledged: true.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity).Idempotent();
        organization.MapPost("/usage", IngestAsync).WithName("ReportUsage")
            .WithSummary("Reports up to 1,000 usage events. Each answer says per event: Accepted, Overage (beyond the balance, where the meter allows it), Duplicate (id seen before: nothing added) or Refused (with the reason; not stored, so it can be sent again).")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    private static async Task<Results<Ok<Page<UnitBalanceView>>, ProblemHttpResult>> BalancesAsync(Guid orgId, AccrueDb db, TimeProvider clock, CancellationToken ct,
        int? limit = null, string? cursor = null)
    {
        var organization = await db.Organizations.AsNoTracking().SingleOrDefaultAsync(o => o.Id == orgId, ct);
        if (organization is null) return Domain.Common.Failure.NotFound("Organization").ToProblem();
        var page = Paging.PageOf(await db.UnitBalanceViewsAsync(orgId, organization.OperatorId, null, ct, clock.GetUtcNow()), b => b.Meter, limit, cursor);
        return page.Failed(out var failure) ? failure.ToProblem() : TypedResults.Ok(page.Value);
    }

    private static async Task<Results<Created<PurchaseResponse>, ProblemHttpResult>> BuyPacksAsync(Guid orgId, BuyUnitPacksRequest request, UnitCommands units,
        CancellationToken ct)
    {
        var placed = await units.PlaceAsync(orgId, request.PlanId, request.Packs, request.Acknowledged, ct);
        if (placed.Failed(out var failure)) return failure.ToProblem();
        return TypedResults.Created($"{ApiSetup.Prefix}/orders/{placed.Value.Id}", PurchaseResponse.From(placed.Value));
    }

    private static async Task<Results<Ok<UsageBatchResult>, ProblemHttpResult>> IngestAsync(Guid orgId, UsageBatchRequest request, UsageIngestion ingestion, CancellationToken ct)
    {
        var result = await ingestion.IngestAsync(orgId, request.Events, ct);
        return result.Failed(out var failure) ? failure.ToProblem() : TypedResults.Ok(result.Value);
    }
}
