using Accrue.Domain.Common;
using Accrue.Domain.Support;
using Accrue.Web.Data;
using Accrue.Web.Features.Api;
using Accrue.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Support;

public sealed record TicketResponse(
    Guid Id,
    long Number,
    Guid OrganizationId,
    Guid TypeId,
    Guid TeamId,
    Guid? SubscriptionId,
    string Subject,
    TicketStatus Status,
    TicketPriority Priority,
    Guid? RaisedByMemberId,
    string RaisedByName,
    Guid? AssigneeUserId,
    string? AssigneeName,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset LastCustomerMessageAt,
    DateTimeOffset? LastStaffReplyAt,
    DateTimeOffset? ClosedAt)
{
    public static TicketResponse From(Ticket t) =>
        new(t.Id, t.Number, t.OrganizationId, t.TypeId, t.TeamId, t.SubscriptionId, t.Subject, t.Status, t.Priority,
            t.RaisedByMemberId, t.RaisedByName, t.AssigneeUserId, t.AssigneeName, t.CreatedAt, t.UpdatedAt,
            t.LastCustomerMessageAt, t.LastStaffReplyAt, t.ClosedAt);
}

/// <summary>An attachment's description; its bytes are at …/attachments/{id}.</summary>
public sealed record TicketAttachmentResponse(Guid Id, string FileName, string ContentType, long Size);

/// <summary>One message of the thread; <c>internal</c> notes reach staff keys only.</summary>
public sealed record TicketMessageResponse(Guid Id, string AuthorName, bool FromStaff, bool Internal, string Body, DateTimeOffset At, IReadOnlyList<TicketAttachmentResponse> Attachments)
{
    public static TicketMessageResponse From(TicketMessageView m) =>
        new(m.Id, m.AuthorName, m.FromStaff, m.Internal, m.Body, m.At, m.Attachments.Select(a => new TicketAttachmentResponse(a.Id, a.FileName, a.ContentType, a.Size)).ToList());

    public static TicketMessageResponse From(TicketMessage m) =>
        new(m.Id, m.AuthorName, m.FromStaff, m.Internal, m.Body, m.At, m.Attachments.Select(a => new TicketAttachmentResponse(a.Id, a.FileName, a.ContentType, a.Size)).ToList());
}

public sealed record TicketDetailResponse(TicketResponse Ticket, string TypeName, string TeamName, string OrganizationName, IReadOnlyList<TicketMessageResponse> Messages)
{
    public static TicketDetailResponse From(TicketView v) =>
        new(TicketResponse.From(v.Ticket), v.TypeName, v.TeamName, v.OrganizationName, v.Messages.Select(TicketMessageResponse.From).ToList());
}

/// <summary>A file sent with a ticket or reply: its name and its bytes in base64 (standard alphabet, padded).</summary>
public sealed record TicketAttachmentRequest(string? FileName, string? ContentBase64);

public sealed record RaiseTicketRequest(Guid? TypeId, string? Subject, string? Body, Guid? SubscriptionId, List<TicketAttachmentRequest>? Attachments);

/// <summary><c>internal</c> and <c>status</c> are for staff keys; an organization's key is refused with 403.</summary>
public sealed record TicketReplyRequest(string? Body, List<TicketAttachmentRequest>? Attachments, bool Internal = false, TicketStatus? Status = null);

public sealed record AssignTicketRequest(Guid? AssigneeUserId);

public sealed record TicketStatusRequest(TicketStatus? Status);

public sealed record TicketPriorityRequest(TicketPriority? Priority);

/// <summary>
/// Tickets over the API (seed 004), through <see cref="TicketCommands"/> so the portal's and the
/// console's rules apply: /organizations/{orgId}/tickets for the customer's side (its own key, or
/// staff keys acting for it), /tickets for the operator's and partners' queue (staff keys only).
/// Requests with attachments may be larger than the API's usual 1 MB.
/// </summary>
public static class TicketsApi
{
    public static RouteGroupBuilder MapTicketsApi(this RouteGroupBuilder api)
    {
        var org = api.MapGroup("/organizations/{orgId:guid}/tickets").WithTags("Tickets");
        org.MapGet("", ListAsync).WithName("ListTickets")
            .WithSummary("Lists the organization's tickets the key may see, oldest first.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        org.MapPost("", RaiseAsync).WithName("RaiseTicket")
            .WithSummary("Raises a ticket with its first message and attachments; the responsible team is emailed.")
            .WithMetadata(new RequestSizeLimitAttribute(TicketUploads.MaxApiRequestBody))
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        org.MapGet("/{id:guid}", (Guid orgId, Guid id, TicketCommands tickets, CancellationToken ct) => GetAsync(orgId, id, tickets, ct)).WithName("GetTicket")
            .WithSummary("The ticket and its thread (internal notes only for staff keys).")
            .ProducesProblem(StatusCodes.Status404NotFound);
        org.MapPost("/{id:guid}/replies", (Guid orgId, Guid id, TicketReplyRequest request, TicketCommands tickets, CancellationToken ct) => ReplyAsync(orgId, id, request, tickets, ct)).WithName("ReplyToTicket")
            .WithSummary("Adds a reply; staff keys may make it an internal note and choose the status after it.")
            .WithMetadata(new RequestSizeLimitAttribute(TicketUploads.MaxApiRequestBody))
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        org.MapPost("/{id:guid}/close", CloseAsync).WithName("CloseTicket").WithSummary("Closes the organization's ticket.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        org.MapPost("/{id:guid}/reopen", ReopenAsync).WithName("ReopenTicket").WithSummary("Reopens a resolved or closed ticket.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        org.MapGet("/{id:guid}/attachments/{attachmentId:guid}", (Guid orgId, Guid id, Guid attachmentId, TicketCommands tickets, CancellationToken ct) => AttachmentAsync(orgId, id, attachmentId, tickets, ct)).WithName("GetTicketAttachment")
            .WithSummary("An attachment's bytes, as a download with the type its content was recognised as.")
            .Produces<Stream>(StatusCodes.Status200OK, "application/octet-stream", "image/png", "image/jpeg", "image/gif", "image/webp", "application/pdf", "text/plain", "text/csv")
            .ProducesProblem(StatusCodes.Status404NotFound);

        var queue = api.MapGroup("/tickets").WithTags("Tickets").AddEndpointFilter(StaffOnlyAsync).ProducesProblem(StatusCodes.Status403Forbidden);
        queue.MapGet("", QueueAsync).WithName("ListTicketQueue")
            .WithSummary("The support queue across organizations (staff keys), oldest first, filtered.")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        queue.MapGet("/{id:guid}", (Guid id, TicketCommands tickets, CancellationToken ct) => GetAsync(null, id, tickets, ct)).WithName("GetQueueTicket").WithSummary("One ticket of the support queue with its whole thread, internal notes included (staff keys).")
            .ProducesProblem(StatusCodes.Status404NotFound);
        queue.MapPost("/{id:guid}/replies", (Guid id, TicketReplyRequest request, TicketCommands tickets, CancellationToken ct) => ReplyAsync(null, id, request, tickets, ct))
            .WithName("StaffReplyToTicket")
            .WithSummary("Replies to the customer (emailed) or adds an internal note (\"internal\": true, never shown or sent to the customer).")
            .WithMetadata(new RequestSizeLimitAttribute(TicketUploads.MaxApiRequestBody))
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        queue.MapPost("/{id:guid}/assign", AssignAsync).WithName("AssignTicket").WithSummary("Assigns the ticket to a staff member, or takes the assignment away.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        queue.MapPost("/{id:guid}/status", StatusAsync).WithName("SetTicketStatus")
            .WithSummary("Moves the ticket to any status; the customer is emailed.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        queue.MapPost("/{id:guid}/priority", PriorityAsync).WithName("SetTicketPriority").WithSummary("Changes the ticket's priority.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        queue.MapGet("/{id:guid}/attachments/{attachmentId:guid}", (Guid id, Guid attachmentId, TicketCommands tickets, CancellationToken ct) => AttachmentAsync(null, id, attachmentId, tickets, ct))
            .WithName("GetQueueTicketAttachment").WithSummary("An attachment's bytes for staff, as a download with the type its content was recognised as.")
            .Produces<Stream>(StatusCodes.Status200OK, "application/octet-stream", "image/png", "image/jpeg", "image/gif", "image/webp", "application/pdf", "text/plain", "text/csv")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    private static async ValueTask<object?> StaffOnlyAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var db = context.HttpContext.RequestServices.GetRequiredService<AccrueDb>();
        if (db.Actor.IsStaff) return await next(context);
        return Failure.Forbidden($"The ticket queue is for operator and partner keys; use {ApiSetup.Prefix}/organizations/{{orgId}}/tickets.").ToProblem();
    }

    private static async Task<Results<Ok<Page<TicketResponse>>, ProblemHttpResult>> ListAsync(
        Guid orgId, AccrueDb db, TicketCommands tickets, CancellationToken ct, int? limit = null, string? cursor = null, TicketStatus? status = null)
    {
        var page = Paging.Parse(limit, cursor);
        if (page.Failed(out var failure)) return failure.ToProblem();
        if (!await db.Organizations.AnyAsync(o => o.Id == orgId, ct)) return Failure.NotFound("Organization").ToProblem();
        var query = (await tickets.VisibleAsync(ct)).AsNoTracking().Where(t => t.OrganizationId == orgId);
        if (status is { } s) query = query.Where(t => t.Status == s);
        return TypedResults.Ok(await query.PageAsync(page.Value, TicketResponse.From, ct));
    }

    private static async Task<Results<Ok<Page<TicketResponse>>, ProblemHttpResult>> QueueAsync(
        TicketCommands tickets, CancellationToken ct, int? limit = null, string? cursor = null, TicketStatus? status = null,
        Guid? typeId = null, Guid? organizationId = null, Guid? teamId = null, Guid? assigneeUserId = null)
    {
        var page = Paging.Parse(limit, cursor);
        if (page.Failed(out var failure)) return failure.ToProblem();
        var query = (await tickets.VisibleAsync(ct)).AsNoTracking();
        if (status is { } s) query = query.Where(t => t.Status == s);
        if (typeId is { } type) query = query.Where(t => t.TypeId == type);
        if (organizationId is { } organization) query = query.Where(t => t.OrganizationId == organization);
        if (teamId is { } team) query = query.Where(t => t.TeamId == team);
        if (assigneeUserId is { } assignee) query = query.Where(t => t.AssigneeUserId == assignee);
        return TypedResults.Ok(await query.PageAsync(page.Value, TicketResponse.From, ct));
    }

    private static async Task<Results<Created<TicketDetailResponse>, ProblemHttpResult>> RaiseAsync(
        Guid orgId, RaiseTicketRequest request, TicketCommands tickets, CancellationToken ct)
    {
        var uploads = Decode(request.Attachments);
        if (uploads.Failed(out var undecodable)) return undecodable.ToProblem();
        var raised = await tickets.RaiseAsync(orgId, new NewTicket(request.TypeId ?? Guid.Empty, request.Subject ?? "", request.Body ?? "", request.SubscriptionId), uploads.Value, ct);
        if (raised.Failed(out var failure)) return failure.ToProblem();
        var view = await tickets.FindAsync(raised.Value.Id, ct);
        if (view.Failed(out var missing)) return missing.ToProblem();
        return TypedResults.Created($"{ApiSetup.Prefix}/organizations/{orgId}/tickets/{raised.Value.Id}", TicketDetailResponse.From(view.Value));
    }

    private static async Task<Results<Ok<TicketDetailResponse>, ProblemHttpResult>> GetAsync(Guid? orgId, Guid id, TicketCommands tickets, CancellationToken ct)
    {
        var found = await tickets.FindAsync(id, ct);
        if (found.Failed(out var failure)) return failure.ToProblem();
        if (orgId is { } organization && found.Value.Ticket.OrganizationId != organization) return Failure.NotFound("Ticket").ToProblem();
        return TypedResults.Ok(TicketDetailResponse.From(found.Value));
    }

    private static async Task<Results<Created<TicketMessageResponse>, ProblemHttpResult>> ReplyAsync(
        Guid? orgId, Guid id, TicketReplyRequest request, TicketCommands tickets, CancellationToken ct)
    {
        if (await MissingAsync(orgId, id, tickets, ct) is { } missing) return missing;
        var uploads = Decode(request.Attachments);
        if (uploads.Failed(out var undecodable)) return undecodable.ToProblem();
        var replied = await tickets.ReplyAsync(id, request.Body, uploads.Value, request.Internal, request.Status, ct);
        if (replied.Failed(out var failure)) return failure.ToProblem();
        var location = orgId is { } organization ? $"{ApiSetup.Prefix}/organizations/{organization}/tickets/{id}" : $"{ApiSetup.Prefix}/tickets/{id}";
        return TypedResults.Created(location, TicketMessageResponse.From(replied.Value));
    }

    private static async Task<Results<Ok<TicketResponse>, ProblemHttpResult>> CloseAsync(Guid orgId, Guid id, TicketCommands tickets, CancellationToken ct) =>
        await MissingAsync(orgId, id, tickets, ct) is { } missing ? missing : Answer(await tickets.CloseAsync(id, ct));

    private static async Task<Results<Ok<TicketResponse>, ProblemHttpResult>> ReopenAsync(Guid orgId, Guid id, TicketCommands tickets, CancellationToken ct) =>
        await MissingAsync(orgId, id, tickets, ct) is { } missing ? missing : Answer(await tickets.ReopenAsync(id, ct));

    private static async Task<Results<Ok<TicketResponse>, ProblemHttpResult>> AssignAsync(Guid id, AssignTicketRequest request, TicketCommands tickets, CancellationToken ct) =>
        Answer(await tickets.AssignAsync(id, request.AssigneeUserId, ct));

    private static async Task<Results<Ok<TicketResponse>, ProblemHttpResult>> StatusAsync(Guid id, TicketStatusRequest request, TicketCommands tickets, CancellationToken ct) =>
        request.Status is { } status ? Answer(await tickets.ChangeStatusAsync(id, status, ct)) : Failure.Invalid("Status", "Choose a status.").ToProblem();

    private static async Task<Results<Ok<TicketResponse>, ProblemHttpResult>> PriorityAsync(Guid id, TicketPriorityRequest request, TicketCommands tickets, CancellationToken ct) =>
        request.Priority is { } priority ? Answer(await tickets.SetPriorityAsync(id, priority, ct)) : Failure.Invalid("Priority", "Choose a priority.").ToProblem();

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> AttachmentAsync(
        Guid? orgId, Guid id, Guid attachmentId, TicketCommands tickets, CancellationToken ct)
    {
        var attachment = await tickets.AttachmentAsync(id, attachmentId, ct);
        if (attachment is null || (orgId is { } organization && attachment.OrganizationId != organization)) return Failure.NotFound("Attachment").ToProblem();
        return TypedResults.File(attachment.Content, attachment.ContentType, attachment.FileName);
    }

    /// <summary>404 unless the ticket is visible to the key and (on the organization routes) belongs to that organization.</summary>
    private static async Task<ProblemHttpResult?> MissingAsync(Guid? orgId, Guid id, TicketCommands tickets, CancellationToken ct)
    {
        var visible = (await tickets.VisibleAsync(ct)).Where(t => t.Id == id);
        if (orgId is { } organization) visible = visible.Where(t => t.OrganizationId == organization);
        return await visible.AnyAsync(ct) ? null : Failure.NotFound("Ticket").ToProblem();
    }

    private static Results<Ok<TicketResponse>, ProblemHttpResult> Answer(Result<Ticket> result) =>
        result.Failed(out var failure) ? failure.ToProblem() : TypedResults.Ok(TicketResponse.From(result.Value));

    /// <summary>The attachments' bytes; a missing or undecodable one is a field error on <c>Attachments</c>.</summary>
    private static Result<IReadOnlyList<Upload>> Decode(List<TicketAttachmentRequest>? attachments)
    {
        var uploads = new List<Upload>();
        foreach (var (attachment, index) in (attachments ?? []).Select((a, i) => (a, i + 1)))
        {
            var name = string.IsNullOrWhiteSpace(attachment?.FileName) ? $"attachment {index}" : $"“{AttachmentPolicy.CleanName(attachment.FileName)}”";
            if (string.IsNullOrEmpty(attachment?.ContentBase64))
                return Failure.Invalid("Attachments", $"Attachment {index} ({name}) has no contentBase64.");
            byte[] bytes;
            try
            {
                bytes = Convert.FromBase64String(attachment.ContentBase64);
            }
            catch (FormatException)
            {
                return Failure.Invalid("Attachments", $"Attachment {index} ({name}): contentBase64 is not valid base64.");
            }
            uploads.Add(new Upload(attachment.FileName ?? "", bytes));
        }
        return uploads;
    }
}
