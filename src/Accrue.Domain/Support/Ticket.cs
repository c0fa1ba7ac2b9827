using Accrue.Domain.Common;

namespace Accrue.Domain.Support;

public enum TicketStatus { Open, InProgress, AwaitingCustomer, Resolved, Closed }

public enum TicketPriority { Low, Normal, High, Urgent }

/// <summary>A group of operator staff that answers some kinds of ticket, alerted by email.</summary>
public sealed class SupportTeam : Entity
{
    public required string Name { get; set; }
    /// <summary>A shared mailbox alerted as well as the team's members; optional.</summary>
    public string? Email { get; set; }
    public List<SupportTeamMember> Members { get; init; } = [];

    public static Failure? Validate(string? name, string? email)
    {
        var errors = new FieldErrors().Require("Name", name, "Name", 100);
        if (!string.IsNullOrWhiteSpace(email) && !Accounts.EmailAddress.IsValid(email)) errors.Add("Email", "Enter a valid email address, or leave it empty.");
        return errors.Any ? errors.ToFailure() : null;
    }
}

/// <summary>A staff sign-in (a user id) belonging to a team.</summary>
public sealed class SupportTeamMember
{
    public Guid TeamId { get; init; }
    public Guid UserId { get; init; }
}

/// <summary>What a customer can raise (service interruption, complaint, …): which team answers it, at what priority.</summary>
public sealed class TicketType : Entity
{
    public required string Name { get; set; }
    public string Description { get; set; } = "";
    public Guid TeamId { get; set; }
    public TicketPriority DefaultPriority { get; set; } = TicketPriority.Normal;
    /// <summary>Inactive types keep their tickets but can no longer be chosen for new ones.</summary>
    public bool Active { get; set; } = true;

    public static Failure? Validate(string? name, string? description)
    {
        var errors = new FieldErrors().Require("Name", name, "Name", 100).Limit("Description", description, "Description", 500);
        return errors.Any ? errors.ToFailure() : null;
    }
}

/// <summary>
/// A customer's issue and its conversation with the operator's staff (seed 004). Staff may add
/// internal notes the customer never sees. A closed ticket takes no replies until it is reopened.
/// </summary>
public sealed class Ticket : Entity, IOrganizationOwned
{
    public const int SubjectMaxLength = 200;
    public const int BodyMaxLength = 10_000;

    /// <summary>Shown to people as #number; runs across the install.</summary>
    public long Number { get; init; }
    public Guid OrganizationId { get; init; }
    public Guid TypeId { get; set; }
    /// <summary>The responsible team, taken from the type when the ticket is raised.</summary>
    public Guid TeamId { get; set; }
    public Guid? SubscriptionId { get; init; }
    public required string Subject { get; init; }
    public TicketStatus Status { get; private set; } = TicketStatus.Open;
    public TicketPriority Priority { get; set; }
    public Guid? RaisedByMemberId { get; init; }
    public required string RaisedByName { get; init; }
    public Guid? AssigneeUserId { get; private set; }
    public string? AssigneeName { get; private set; }
    /// <summary>When the customer last wrote: the queue shows the time since.</summary>
    public DateTimeOffset LastCustomerMessageAt { get; private set; }
    public DateTimeOffset? LastStaffReplyAt { get; private set; }
    public DateTimeOffset? ClosedAt { get; private set; }
    public List<TicketMessage> Messages { get; init; } = [];

    public bool IsOpen => Status is not (TicketStatus.Resolved or TicketStatus.Closed);

    public static Failure? Validate(string? subject, string? body)
    {
        var errors = new FieldErrors().Require("Subject", subject, "Subject", SubjectMaxLength);
        RequireBody(errors, body);
        return errors.Any ? errors.ToFailure() : null;
    }

    /// <summary>A new ticket with its first message, from a member (or staff raising it for the customer).</summary>
    public static Result<Ticket> Raise(
        long number, Guid organizationId, TicketType type, Guid? subscriptionId, string subject, string body,
        MessageAuthor author, IReadOnlyList<TicketAttachment> attachments, DateTimeOffset now)
    {
        if (Validate(subject, body) is { } invalid) return invalid;
        if (!type.Active) return Failure.Invalid("TypeId", $"“{type.Name}” can no longer be chosen.");
        var ticket = new Ticket
        {
            Number = number,
            OrganizationId = organizationId,
            TypeId = type.Id,
            TeamId = type.TeamId,
            SubscriptionId = subscriptionId,
            Subject = subject.Trim(),
            Priority = type.DefaultPriority,
            RaisedByMemberId = author.MemberId,
            RaisedByName = author.Name,
            LastCustomerMessageAt = now,
        };
        ticket.Append(author, body, isInternal: false, attachments, now);
        return ticket;
    }

    /// <summary>The customer writes: a ticket waiting on them, or resolved, goes back to Open.</summary>
    public Result<TicketMessage> CustomerReply(MessageAuthor author, string? body, IReadOnlyList<TicketAttachment> attachments, DateTimeOffset now)
    {
        if (RefuseReply() is { } refused) return refused;
        if (RequireBody(new FieldErrors(), body) is { Any: true } errors) return errors.ToFailure();
        if (Status is TicketStatus.AwaitingCustomer or TicketStatus.Resolved) Status = TicketStatus.Open;
        LastCustomerMessageAt = now;
        return Append(author, body!, isInternal: false, attachments, now);
    }

    /// <summary>
    /// Staff write: a reply the customer sees (the ticket then waits on the customer, unless another
    /// status is chosen) or an internal note (the status stays unless one is chosen).
    /// </summary>
    public Result<TicketMessage> StaffReply(MessageAuthor author, string? body, bool isInternal, TicketStatus? statusAfter, IReadOnlyList<TicketAttachment> attachments, DateTimeOffset now)
    {
        if (RefuseReply() is { } refused) return refused;
        if (RequireBody(new FieldErrors(), body) is { Any: true } errors) return errors.ToFailure();
        if (statusAfter == TicketStatus.Closed) return Failure.Invalid("Status", "Close the ticket on its own, not with a reply.");
        var message = Append(author, body!, isInternal, attachments, now);
        if (!isInternal) LastStaffReplyAt = now;
        var next = statusAfter ?? (isInternal ? null : TicketStatus.AwaitingCustomer);
        if (next is not null) Status = next.Value;
        return message;
    }

    /// <summary>Staff move the ticket along (any status); closing and reopening are <see cref="Close"/> and <see cref="Reopen"/>.</summary>
    public Failure? ChangeStatus(TicketStatus to, DateTimeOffset now)
    {
        if (to == Status) return Failure.Conflict($"Ticket #{Number} is already {Status}.");
        if (to == TicketStatus.Closed) return Close(now);
        if (Status == TicketStatus.Closed) ClosedAt = null;
        Status = to;
        return null;
    }

    public Failure? Close(DateTimeOffset now)
    {
        if (Status == TicketStatus.Closed) return Failure.Conflict($"Ticket #{Number} is already closed.");
        Status = TicketStatus.Closed;
        ClosedAt = now;
        return null;
    }

    public Failure? Reopen(DateTimeOffset now)
    {
        if (Status is not (TicketStatus.Closed or TicketStatus.Resolved)) return Failure.Conflict($"Ticket #{Number} is not closed or resolved.");
        Status = TicketStatus.Open;
        ClosedAt = null;
        LastCustomerMessageAt = now;
        return null;
    }

    public void Assign(Guid? userId, string? name) => (AssigneeUserId, AssigneeName) = userId is null ? (null, null) : (userId, name);

    private Failure? RefuseReply() =>
        Status == TicketStatus.Closed ? Failure.Conflict($"Ticket #{Number} is closed; reopen it to reply.") : null;

    private static FieldErrors RequireBody(FieldErrors errors, string? body) => errors.Require("Body", body, "Message", BodyMaxLength);

    private TicketMessage Append(MessageAuthor author, string body, bool isInternal, IReadOnlyList<TicketAttachment> attachments, DateTimeOffset now)
    {
        var message = new TicketMessage
        {
            OrganizationId = OrganizationId,
            TicketId = Id,
            AuthorUserId = author.UserId,
            AuthorName = author.Name,
            FromStaff = author.IsStaff,
            Internal = isInternal,
            Body = body.Trim(),
            At = now,
        };
        foreach (var attachment in attachments)
        {
            attachment.OrganizationId = OrganizationId;
            attachment.TicketId = Id;
            attachment.MessageId = message.Id;
            message.Attachments.Add(attachment);
        }
        Messages.Add(message);
        return message;
    }
}

/// <summary>Who wrote a message: a member of the organization, or staff.</summary>
public sealed record MessageAuthor(Guid? UserId, string Name, bool IsStaff, Guid? MemberId = null);

public sealed class TicketMessage : Entity, IOrganizationOwned
{
    public Guid OrganizationId { get; init; }
    public Guid TicketId { get; init; }
    public Guid? AuthorUserId { get; init; }
    public required string AuthorName { get; init; }
    public bool FromStaff { get; init; }
    /// <summary>An internal note: staff only, never shown or sent to the customer.</summary>
    public bool Internal { get; init; }
    public required string Body { get; init; }
    public DateTimeOffset At { get; init; }
    public List<TicketAttachment> Attachments { get; init; } = [];
}

/// <summary>A file attached to a message; its type is what its content is (<see cref="AttachmentPolicy"/>), not what the uploader claimed.</summary>
public sealed class TicketAttachment : Entity, IOrganizationOwned
{
    public Guid OrganizationId { get; set; }
    public Guid TicketId { get; set; }
    public Guid MessageId { get; set; }
    public required string FileName { get; init; }
    public required string ContentType { get; init; }
    public long Size { get; init; }
    public required byte[] Content { get; init; }
}
