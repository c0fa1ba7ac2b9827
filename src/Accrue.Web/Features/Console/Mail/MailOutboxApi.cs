using Accrue.Domain.Common;
using Accrue.Web.Data;
using Accrue.Web.Features.Api;
using Accrue.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Console.Mail;

/// <summary>An outbox message and how its delivery went.</summary>
public sealed record MailMessageResponse(Guid Id, Guid? OrganizationId, string To, string Subject, string Template, OutboxStatus Status, int Attempts,
    string? LastError, DateTimeOffset CreatedAt, DateTimeOffset? SentAt)
{
    public static MailMessageResponse From(OutboxMessage m) =>
        new(m.Id, m.OrganizationId, m.To, m.Subject, m.Template, m.Status, m.Attempts, m.LastError, m.CreatedAt, m.SentAt);
}

/// <summary>One message with its text body; single-use links and voucher codes are hidden, as the console hides them.</summary>
public sealed record MailMessageDetailResponse(MailMessageResponse Message, string? OrganizationName, string TextBody);

/// <summary>
/// /api/v1/mail-outbox: the console's Mail log, through <see cref="MailQueries"/>. Staff keys only; partner
/// keys see mail about their partner's organizations only, as partner staff do in the console.
/// </summary>
public static class MailOutboxApi
{
    public static RouteGroupBuilder MapMailOutboxApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/mail-outbox").WithTags("Mail outbox").AddEndpointFilter(StaffOnlyAsync).ProducesProblem(StatusCodes.Status403Forbidden);
        group.MapGet("", ListAsync).WithName("ListMailMessages")
            .WithSummary("Every outgoing email, oldest first, with its delivery status; filter by recipient (contains) and status.")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        group.MapGet("/{id:guid}", GetAsync).WithName("GetMailMessage")
            .WithSummary("One email with its text body; single-use links and voucher codes are hidden whatever the delivery mode.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    private static async ValueTask<object?> StaffOnlyAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var db = context.HttpContext.RequestServices.GetRequiredService<AccrueDb>();
        if (db.Actor.IsStaff) return await next(context);
        return Failure.Forbidden("The mail outbox is for operator and partner keys.").ToProblem();
    }

    private static async Task<Results<Ok<Page<MailMessageResponse>>, ProblemHttpResult>> ListAsync(
        AccrueDb db, CancellationToken ct, int? limit = null, string? cursor = null, string? to = null, OutboxStatus? status = null)
    {
        var page = Paging.Parse(limit, cursor);
        if (page.Failed(out var failure)) return failure.ToProblem();
        var (take, after) = page.Value;
        var query = db.VisibleOutbox().AsNoTracking().Filter(to, status);
        // Outbox ids are UUIDv7 like every other row's, so id order is the order messages were queued.
        if (after is { } last) query = query.Where(m => m.Id.CompareTo(last) > 0);
        var rows = await query.OrderBy(m => m.Id).Take(take + 1).ToListAsync(ct);
        var (items, next) = Paging.Slice(rows, take, m => m.Id.ToString("N"));
        return TypedResults.Ok(new Page<MailMessageResponse>(items.Select(MailMessageResponse.From).ToList(), next));
    }

    private static async Task<Results<Ok<MailMessageDetailResponse>, ProblemHttpResult>> GetAsync(Guid id, AccrueDb db, CancellationToken ct)
    {
        var message = await db.VisibleOutbox().AsNoTracking().SingleOrDefaultAsync(m => m.Id == id, ct);
        if (message is null) return Failure.NotFound("Mail message").ToProblem();
        var organization = await db.Organizations.Where(o => o.Id == message.OrganizationId).Select(o => o.Name).FirstOrDefaultAsync(ct);
        return TypedResults.Ok(new MailMessageDetailResponse(MailMessageResponse.From(message), organization, MailQueries.ReadableBody(message)));
    }
}
