using Accrue.Domain.Common;
using Accrue.Domain.Orders;
using Accrue.Web.Data;
using Accrue.Web.Infrastructure.Payments;
using Accrue.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Payments;

/// <summary>The card on file as it may be shown: never the number or the gateway's token.</summary>
public sealed record CardOnFileResponse(string Brand, string Last4, int ExpiryMonth, int ExpiryYear, bool Expired)
{
    public static CardOnFileResponse From(CardOnFile c, DateOnly today) => new(c.Brand, c.Last4, c.ExpiryMonth, c.ExpiryYear, c.IsExpired(today));
}

public sealed record SaveCardRequest(CardInput? Card);

/// <summary>/api/v1/organizations/{orgId}/card: the organization's card on file (seed 004), through <see cref="CardOnFileCommands"/>.</summary>
public static class CardOnFileApi
{
    public static RouteGroupBuilder MapCardOnFileApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/organizations/{orgId:guid}/card").WithTags("Card on file");
        group.MapGet("/", GetAsync).WithName("GetCardOnFile")
            .WithSummary("The organization's card on file: brand, last four digits and expiry.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPut("/", SaveAsync).WithName("SaveCardOnFile")
            .WithSummary("Adds or replaces the card on file (sandbox test cards in docs/payments.md). Only brand, last four and expiry are kept.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapDelete("/", RemoveAsync).WithName("RemoveCardOnFile")
            .WithSummary("Removes the card on file.")
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    private static async Task<Results<Ok<CardOnFileResponse>, ProblemHttpResult>> GetAsync(Guid orgId, AccrueDb db, CardOnFileCommands cards, TimeProvider clock, CancellationToken ct)
    {
        var organization = await db.Organizations.AsNoTracking().SingleOrDefaultAsync(o => o.Id == orgId, ct);
        if (organization is null) return Failure.NotFound("Organization").ToProblem();
        var card = await cards.FindAsync(orgId, ct);
        return card is null ? Failure.NotFound("Card on file").ToProblem() : TypedResults.Ok(CardOnFileResponse.From(card, organization.Today(clock)));
    }

    private static async Task<Results<Ok<CardOnFileResponse>, ProblemHttpResult>> SaveAsync(Guid orgId, SaveCardRequest request, CardOnFileCommands cards, TimeProvider clock, CancellationToken ct)
    {
        var result = await cards.SaveAsync(orgId, request.Card ?? new CardInput(), ct);
        return result.Failed(out var failure) ? failure.ToProblem() : TypedResults.Ok(CardOnFileResponse.From(result.Value, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime)));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RemoveAsync(Guid orgId, CardOnFileCommands cards, CancellationToken ct)
    {
        var result = await cards.RemoveAsync(orgId, ct);
        return result.Failed(out var failure) ? failure.ToProblem() : TypedResults.NoContent();
    }
}
