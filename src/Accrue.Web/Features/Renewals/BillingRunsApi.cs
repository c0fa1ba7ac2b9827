using Accrue.Domain.Common;
using Accrue.Web.Data;
using Accrue.Web.Features.Api;
using Accrue.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Renewals;

/// <summary>
/// A billing run: <c>status</c> is Running, Finished, or Abandoned (it stopped before finishing: killed, crashed or
/// cancelled; <c>abandonedAt</c> is when that was noticed). The counts are what the run committed, batch by batch.
/// </summary>
public sealed record BillingRunResponse(Guid Id, DateOnly AsOf, string Trigger, string Host, BillingRunStatus Status, DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt, DateTimeOffset HeartbeatAt, DateTimeOffset? AbandonedAt, int Renewed, int Invoiced, int Failed, int Expired, int Skipped)
{
    public static BillingRunResponse From(BillingRun r) =>
        new(r.Id, r.AsOf, r.Trigger, r.Host, r.Status, r.StartedAt, r.FinishedAt, r.HeartbeatAt, r.AbandonedAt, r.Renewed, r.Invoiced, r.Failed, r.Expired, r.Skipped);
}

public sealed record StartBillingRunRequest(DateOnly? AsOf);

/// <summary>/api/v1/billing-runs: the billing run's history, and a run on demand, for operator keys (docs/billing-run.md).</summary>
public static class BillingRunsApi
{
    public static RouteGroupBuilder MapBillingRunsApi(this RouteGroupBuilder api)
    {
        var runs = api.MapGroup("/billing-runs").WithTags("Billing runs");
        runs.MapGet("", ListAsync).WithName("ListBillingRuns").WithSummary("Billing runs, oldest first, with what each did. Operator keys only.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden);
        runs.MapPost("", StartAsync).WithName("StartBillingRun")
            .WithSummary("Bills every subscription whose term ended by asOf, as the `bill` command does, and answers when it is done. Operator keys only.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden)
            .Idempotent();
        return api;
    }

    private const string OperatorOnly = "Only operator keys see and start billing runs.";

    private static async Task<Results<Ok<Page<BillingRunResponse>>, ProblemHttpResult>> ListAsync(AccrueDb db, CancellationToken ct,
        int? limit = null, string? cursor = null)
    {
        if (db.Actor.RefuseUnlessOperator(OperatorOnly) is { } refused) return refused.ToProblem();
        var paging = Paging.Parse(limit, cursor);
        if (paging.Failed(out var invalid)) return invalid.ToProblem();
        var (take, after) = paging.Value;
        var query = db.BillingRuns.AsNoTracking();
        if (after is { } id) query = query.Where(r => r.Id.CompareTo(id) > 0);
        var rows = await query.OrderBy(r => r.Id).Take(take + 1).ToListAsync(ct);
        var next = rows.Count > take ? rows[take - 1].Id.ToString("N") : null;
        return TypedResults.Ok(new Page<BillingRunResponse>([.. rows.Take(take).Select(BillingRunResponse.From)], next));
    }

    private static async Task<Results<Created<BillingRunResponse>, ProblemHttpResult>> StartAsync(StartBillingRunRequest request, AccrueDb db,
        BillingRunner runner, CancellationToken ct)
    {
        if (db.Actor.RefuseUnlessOperator(OperatorOnly) is { } refused) return refused.ToProblem();
        if (request.AsOf is not { } asOf) return Failure.Invalid("AsOf", "Give the day to bill up to, as yyyy-MM-dd.").ToProblem();
        var run = await runner.RunAsync(asOf, BillingTriggers.Api, null, ct);
        return TypedResults.Created($"/api/v1/billing-runs/{run.Id}", BillingRunResponse.From(run));
    }
}
