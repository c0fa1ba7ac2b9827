using Accrue.Domain.Accounts;
using Accrue.Domain.Common;
using Accrue.Domain.Support;
using Accrue.Web.Data;
using Accrue.Web.Infrastructure.Email;
using Accrue.Web.Infrastructure.Tenancy;
using Accrue.Web.Infrastructure.Web;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Support;

/// <summary>What a customer (or staff on their behalf) fills in to raise a ticket.</summary>
public sealed record NewTicket(Guid TypeId, string Subject, string Body, Guid? SubscriptionId = null);

/// <summary>
/// THE ticket use cases, for portal, console and API alike (seed 004). Who sees a ticket: staff see
/// every ticket the tenant filter shows them; a member sees the tickets they raised, or all of their
/// organization's with Manage support; an organization's API key sees all of its organization's.
/// Alerts go through the email outbox in the same SaveChanges as the change: the responsible team
/// hears of new tickets and customer replies, the customer of staff replies and status changes.
/// </summary>
public sealed class TicketCommands(AccrueDb db, Mailer mailer, AppUrls urls, TimeProvider clock)
{
    public const string CounterKey = "ticket";

    /// <summary>The tickets the current actor may see; <see cref="FindAsync"/> and every change go through it.</summary>
    public async Task<IQueryable<Ticket>> VisibleAsync(CancellationToken ct = default)
    {
        var actor = db.Actor;
        if (actor.MemberId is { } memberId && !await db.ActorCanAsync(Permissions.ManageSupport, ct))
            return db.Tickets.Where(t => t.RaisedByMemberId == memberId);
        return db.Tickets;
    }

    /// <summary>The ticket with its messages, internal notes only for staff, attachments without their bytes.</summary>
    public async Task<Result<TicketView>> FindAsync(Guid ticketId, CancellationToken ct = default)
    {
        var ticket = await (await VisibleAsync(ct)).AsNoTracking().SingleOrDefaultAsync(t => t.Id == ticketId, ct);
        if (ticket is null) return Failure.NotFound("Ticket");
        var staff = db.Actor.IsStaff;
        var messages = await db.TicketMessages.AsNoTracking()
            .Where(m => m.TicketId == ticketId && (staff || !m.Internal))
            .OrderBy(m => m.At).ThenBy(m => m.Id)
            .Select(m => new TicketMessageView(m.Id, m.AuthorName, m.FromStaff, m.Internal, m.Body, m.At,
                m.Attachments.OrderBy(a => a.FileName).Select(a => new AttachmentView(a.Id, a.FileName, a.ContentType, a.Size)).ToList()))
            .ToListAsync(ct);
        var type = await db.TicketTypes.Where(t => t.Id == ticket.TypeId).Select(t => t.Name).SingleAsync(ct);
        var team = await db.SupportTeams.Where(t => t.Id == ticket.TeamId).Select(t => t.Name).SingleAsync(ct);
        var organization = await db.Organizations.Where(o => o.Id == ticket.OrganizationId).Select(o => o.Name).SingleAsync(ct);
        return new TicketView(ticket, type, team, organization, messages);
    }

    /// <summary>An attachment's bytes, if the actor may see its ticket and (for customers) its message is not internal.</summary>
    public async Task<TicketAttachment?> AttachmentAsync(Guid ticketId, Guid attachmentId, CancellationToken ct = default)
    {
        if (!await (await VisibleAsync(ct)).AnyAsync(t => t.Id == ticketId, ct)) return null;
        var staff = db.Actor.IsStaff;
        return await db.TicketAttachments.AsNoTracking()
            .Where(a => a.Id == attachmentId && a.TicketId == ticketId)
            .Where(a => staff || db.TicketMessages.Any(m => m.Id == a.MessageId && !m.Internal))
            .SingleOrDefaultAsync(ct);
    }

    /// <summary>The types a customer may choose from, by name.</summary>
    public Task<List<TicketType>> ActiveTypesAsync(CancellationToken ct = default) =>
        db.TicketTypes.AsNoTracking().Where(t => t.Active).OrderBy(t => t.Name).ToListAsync(ct);

    public async Task<Result<Ticket>> RaiseAsync(Guid organizationId, NewTicket input, IReadOnlyList<Upload> uploads, CancellationToken ct = default)
    {
        var organization = await db.Organizations.AsNoTracking().SingleOrDefaultAsync(o => o.Id == organizationId, ct);
        if (organization is null) return Failure.NotFound("Organization");
        if (await AuthorAsync(ct) is not { } author) return Failure.Forbidden("Sign in to raise a ticket.");

        var errors = new FieldErrors();
        var type = await db.TicketTypes.AsNoTracking().SingleOrDefaultAsync(t => t.Id == input.TypeId, ct);
        if (type is null) errors.Add("TypeId", "Choose the kind of issue.");
        if (input.SubscriptionId is { } subscriptionId
            && !await db.Subscriptions.AnyAsync(s => s.Id == subscriptionId && s.OrganizationId == organizationId, ct))
            errors.Add("SubscriptionId", "Choose one of your organization's subscriptions, or none.");
        if (Ticket.Validate(input.Subject, input.Body) is { Errors: { } fields })
            foreach (var (field, messages) in fields) foreach (var message in messages) errors.Add(field, message);
        var attachments = AttachmentPolicy.Check(uploads);
        if (attachments.Failed(out var refused)) errors.Add("Attachments", refused.Errors!["Attachments"][0]);
        if (errors.Any || attachments.Value is not { } files) return errors.ToFailure();

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var number = await db.NextAsync(CounterKey, ct);
        var raised = Ticket.Raise(number, organizationId, type!, input.SubscriptionId, input.Subject, input.Body, author, files, clock.GetUtcNow());
        if (raised.Failed(out var failure)) return failure;
        var ticket = raised.Value;
        db.Tickets.Add(ticket);
        await AlertTeamAsync(ticket, organization.Name, EmailTemplates.TicketRaised, type!.Name, input.Body, ct);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return ticket;
    }

    /// <summary>
    /// A reply in the thread. Staff may write an internal note and choose the status after; customers
    /// write replies only. Replies to a closed ticket are refused.
    /// </summary>
    public async Task<Result<TicketMessage>> ReplyAsync(Guid ticketId, string? body, IReadOnlyList<Upload> uploads, bool isInternal = false, TicketStatus? statusAfter = null, CancellationToken ct = default)
    {
        var ticket = await (await VisibleAsync(ct)).SingleOrDefaultAsync(t => t.Id == ticketId, ct);
        if (ticket is null) return Failure.NotFound("Ticket");
        if (await AuthorAsync(ct) is not { } author) return Failure.Forbidden("Sign in to reply.");
        if (!author.IsStaff && (isInternal || statusAfter is not null)) return Failure.Forbidden("Only staff write internal notes or set the status.");
        var attachments = AttachmentPolicy.Check(uploads);
        if (attachments.Failed(out var refused)) return refused;

        var before = ticket.Status;
        var now = clock.GetUtcNow();
        var replied = author.IsStaff
            ? ticket.StaffReply(author, body, isInternal, statusAfter, attachments.Value, now)
            : ticket.CustomerReply(author, body, attachments.Value, now);
        if (replied.Failed(out var failure)) return failure;
        db.TicketMessages.Add(replied.Value);

        var organization = await OrganizationNameAsync(ticket, ct);
        if (!author.IsStaff) await AlertTeamAsync(ticket, organization, EmailTemplates.TicketCustomerReply, await TypeNameAsync(ticket, ct), body!, ct);
        else if (!isInternal) await AlertCustomerAsync(ticket, EmailTemplates.TicketStaffReply, new() { ["Body"] = body!.Trim(), ["Status"] = Label(ticket.Status) }, ct);
        else if (ticket.Status != before) await AlertCustomerAsync(ticket, EmailTemplates.TicketStatusChanged, new() { ["Status"] = Label(ticket.Status) }, ct);
        await db.SaveChangesAsync(ct);
        return replied.Value;
    }

    /// <summary>Staff move a ticket to any status; the customer is told.</summary>
    public Task<Result<Ticket>> ChangeStatusAsync(Guid ticketId, TicketStatus status, CancellationToken ct = default) =>
        ChangeAsync(ticketId, staffOnly: true, (ticket, now) => ticket.ChangeStatus(status, now), ct);

    /// <summary>The customer (or staff) closes a ticket; staff closing it tells the customer.</summary>
    public Task<Result<Ticket>> CloseAsync(Guid ticketId, CancellationToken ct = default) =>
        ChangeAsync(ticketId, staffOnly: false, (ticket, now) => ticket.Close(now), ct);

    public Task<Result<Ticket>> ReopenAsync(Guid ticketId, CancellationToken ct = default) =>
        ChangeAsync(ticketId, staffOnly: false, (ticket, now) => ticket.Reopen(now), ct);

    /// <summary>Staff give a ticket to a staff member (or to nobody).</summary>
    public async Task<Result<Ticket>> AssignAsync(Guid ticketId, Guid? assigneeUserId, CancellationToken ct = default)
    {
        if (!db.Actor.IsStaff) return Failure.Forbidden("Only staff assign tickets.");
        var ticket = await db.Tickets.SingleOrDefaultAsync(t => t.Id == ticketId, ct);
        if (ticket is null) return Failure.NotFound("Ticket");
        string? name = null;
        if (assigneeUserId is { } userId)
        {
            var staff = await db.Users.Where(u => u.Id == userId && u.Kind == UserKind.Staff)
                .Select(u => new { u.DisplayName, Sees = SupportSetupCommands.StaffWhoSee(db, ticket.OrganizationId).Any(s => s.Id == u.Id) })
                .SingleOrDefaultAsync(ct);
            if (staff is null) return Failure.Invalid("AssigneeUserId", "Choose a staff member, or nobody.") with { Code = "assignee_not_staff" };
            if (!staff.Sees)
                return Failure.Invalid("AssigneeUserId", $"{staff.DisplayName} works for another partner and can't open this organization's tickets.") with { Code = "assignee_cannot_see_organization" };
            name = staff.DisplayName;
        }
        ticket.Assign(assigneeUserId, name);
        await db.SaveChangesAsync(ct);
        return ticket;
    }

    /// <summary>Staff set the priority; the type's default applies until then.</summary>
    public async Task<Result<Ticket>> SetPriorityAsync(Guid ticketId, TicketPriority priority, CancellationToken ct = default)
    {
        if (!db.Actor.IsStaff) return Failure.Forbidden("Only staff set the priority.");
        var ticket = await db.Tickets.SingleOrDefaultAsync(t => t.Id == ticketId, ct);
        if (ticket is null) return Failure.NotFound("Ticket");
        ticket.Priority = priority;
        await db.SaveChangesAsync(ct);
        return ticket;
    }

    private async Task<Result<Ticket>> ChangeAsync(Guid ticketId, bool staffOnly, Func<Ticket, DateTimeOffset, Failure?> change, CancellationToken ct)
    {
        if (staffOnly && !db.Actor.IsStaff) return Failure.Forbidden("Only staff change a ticket's status.");
        var ticket = await (await VisibleAsync(ct)).SingleOrDefaultAsync(t => t.Id == ticketId, ct);
        if (ticket is null) return Failure.NotFound("Ticket");
        if (change(ticket, clock.GetUtcNow()) is { } failure) return failure;
        if (db.Actor.IsStaff) await AlertCustomerAsync(ticket, EmailTemplates.TicketStatusChanged, new() { ["Status"] = Label(ticket.Status) }, ct);
        await db.SaveChangesAsync(ct);
        return ticket;
    }

    /// <summary>Who is writing: staff, the signed-in member, or (for an organization's API key) the key itself.</summary>
    private async Task<MessageAuthor?> AuthorAsync(CancellationToken ct)
    {
        var actor = db.Actor;
        if (actor.IsStaff) return new MessageAuthor(actor.UserId, actor.Name, IsStaff: true);
        if (actor.MemberId is { } memberId)
        {
            var name = await db.Members.Where(m => m.Id == memberId).Select(m => m.Name).SingleAsync(ct);
            // In a remote-support session the member's name is shown and the audit log keeps the staff's.
            return new MessageAuthor(actor.OnBehalfOfUserId ?? actor.UserId, name, IsStaff: false, memberId);
        }
        if (actor.ApiKeyId is not null && actor.IsInOrganization) return new MessageAuthor(null, $"API key {actor.Name}", IsStaff: false);
        return null;
    }

    private async Task AlertTeamAsync(Ticket ticket, string organization, EmailTemplates.Template template, string type, string body, CancellationToken ct)
    {
        var team = await db.SupportTeams.AsNoTracking().Include(t => t.Members).SingleAsync(t => t.Id == ticket.TeamId, ct);
        var memberIds = team.Members.Select(m => m.UserId).ToList();
        var recipients = await db.Users.Where(u => memberIds.Contains(u.Id)).Select(u => u.Email!).ToListAsync(ct);
        if (!string.IsNullOrWhiteSpace(team.Email)) recipients.Add(team.Email);
        foreach (var to in recipients.Distinct(StringComparer.OrdinalIgnoreCase))
            await mailer.QueueAsync(template, to, ticket.OrganizationId, new Dictionary<string, string>
            {
                ["Number"] = ticket.Number.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Subject"] = ticket.Subject,
                ["Organization"] = organization,
                ["Type"] = type,
                ["Priority"] = ticket.Priority.ToString(),
                ["Team"] = team.Name,
                ["Body"] = body.Trim(),
                ["Link"] = urls.Absolute($"/console/support/{ticket.Id}"),
            });
    }

    /// <summary>Emails the member who raised the ticket, if they are still a member.</summary>
    private async Task AlertCustomerAsync(Ticket ticket, EmailTemplates.Template template, Dictionary<string, string> values, CancellationToken ct)
    {
        var raiser = await db.Members.AsNoTracking().Where(m => m.Id == ticket.RaisedByMemberId).Select(m => new { m.Name, m.Email }).SingleOrDefaultAsync(ct);
        if (raiser is null) return;
        values["Name"] = raiser.Name;
        values["Number"] = ticket.Number.ToString(System.Globalization.CultureInfo.InvariantCulture);
        values["Subject"] = ticket.Subject;
        values["Link"] = urls.Absolute($"/portal/support/{ticket.Id}");
        await mailer.QueueAsync(template, raiser.Email, ticket.OrganizationId, values);
    }

    private Task<string> OrganizationNameAsync(Ticket ticket, CancellationToken ct) =>
        db.Organizations.Where(o => o.Id == ticket.OrganizationId).Select(o => o.Name).SingleAsync(ct);

    private Task<string> TypeNameAsync(Ticket ticket, CancellationToken ct) =>
        db.TicketTypes.Where(t => t.Id == ticket.TypeId).Select(t => t.Name).SingleAsync(ct);

    /// <summary>"AwaitingCustomer" → "Awaiting customer".</summary>
    public static string Label(TicketStatus status) => status switch
    {
        TicketStatus.InProgress => "In progress",
        TicketStatus.AwaitingCustomer => "Awaiting customer",
        _ => status.ToString(),
    };
}

public sealed record TicketView(Ticket Ticket, string TypeName, string TeamName, string OrganizationName, IReadOnlyList<TicketMessageView> Messages);

public sealed record TicketMessageView(Guid Id, string AuthorName, bool FromStaff, bool Internal, string Body, DateTimeOffset At, IReadOnlyList<AttachmentView> Attachments);

public sealed record AttachmentView(Guid Id, string FileName, string ContentType, long Size);
