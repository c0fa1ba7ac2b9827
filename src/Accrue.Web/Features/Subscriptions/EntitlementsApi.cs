using Accrue.Domain.Common;
using Accrue.Domain.Subscriptions;
using Accrue.Web.Data;
using Accrue.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Subscriptions;

/// <summary>
/// What a member may use in the customer's own product: the modules of their seat while its
/// subscription is live. <c>Active</c> false with no modules means nothing is unlocked (no seat, or
/// the subscription is paused, suspended, cancelled or expired); <c>ValidUntil</c> is the last day of the term.
/// </summary>
public sealed record EntitlementResponse(
    Guid MemberId,
    bool Active,
    Guid? SubscriptionId,
    string? Plan,
    SubscriptionStatus? Status,
    string? SeatType,
    IReadOnlyList<string> Modules,
    DateOnly? ValidUntil);

/// <summary>/api/v1/organizations/{orgId}/members/{memberId}/entitlements, for the customer's own product to ask.</summary>
public static class EntitlementsApi
{
    public static RouteGroupBuilder MapEntitlementsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/organizations/{orgId:guid}/members/{memberId:guid}/entitlements", GetAsync).WithName("GetEntitlements").WithTags("Entitlements")
            .WithSummary("The subscription status, seat type and modules a member's seat unlocks; none without a seat or a live subscription.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    private static async Task<Results<Ok<EntitlementResponse>, ProblemHttpResult>> GetAsync(
        Guid orgId, Guid memberId, AccrueDb db, TimeProvider clock, CancellationToken ct)
    {
        var member = await db.Members.AsNoTracking().SingleOrDefaultAsync(m => m.Id == memberId && m.OrganizationId == orgId, ct);
        if (member is null) return Failure.NotFound("Member").ToProblem();
        var none = new EntitlementResponse(member.Id, false, null, null, null, null, [], null);
        if (member.SeatSubscriptionId is not { } subscriptionId || member.SeatTypeId is not { } seatTypeId) return TypedResults.Ok(none);

        var subscription = await db.Subscriptions.AsNoTracking().Include(s => s.Items).SingleOrDefaultAsync(s => s.Id == subscriptionId && s.OrganizationId == orgId, ct);
        if (subscription is null) return TypedResults.Ok(none);
        var plan = await db.Plans.AsNoTracking().Include(p => p.SeatTypes).SingleAsync(p => p.Id == subscription.PlanId, ct);
        var seatType = plan.SeatTypes.FirstOrDefault(t => t.Id == seatTypeId);
        var organization = await db.Organizations.AsNoTracking().SingleAsync(o => o.Id == orgId, ct);
        // A live status whose term has run out (before the billing run marks it expired) unlocks nothing either.
        var today = organization.Today(clock);
        var live = subscription.IsLive && subscription.TermEnd > today && seatType is not null && subscription.SeatsOf(seatTypeId, today) > 0;
        return TypedResults.Ok(new EntitlementResponse(member.Id, live, subscription.Id, plan.Name, subscription.Status, seatType?.Name,
            live ? seatType!.Modules : [], live ? subscription.Term.LastDay : null));
    }
}
