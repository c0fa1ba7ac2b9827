using Accrue.Domain.Common;
using Accrue.Domain.Support;

namespace Accrue.Domain.Tests.Support;

public sealed class TicketTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);
    private static readonly MessageAuthor Customer = new(Guid.NewGuid(), "Olivia Owner", IsStaff: false, Guid.NewGuid());
    private static readonly MessageAuthor Staff = new(Guid.NewGuid(), "Dana Operator", IsStaff: true);
    private static readonly TicketType Interruption = new() { Name = "Service interruption", TeamId = Guid.NewGuid(), DefaultPriority = TicketPriority.High };

    private static Ticket Raise(string subject = "SMS delayed", string body = "Messages take 20 minutes.") =>
        Ticket.Raise(1001, Guid.NewGuid(), Interruption, null, subject, body, Customer, [], Now).Value!;

    [Fact]
    public void A_raised_ticket_is_open_with_the_types_team_and_priority_and_its_first_message()
    {
        var ticket = Raise("  SMS delayed  ");

        Assert.Equal(TicketStatus.Open, ticket.Status);
        Assert.Equal(Interruption.TeamId, ticket.TeamId);
        Assert.Equal(TicketPriority.High, ticket.Priority);
        Assert.Equal("SMS delayed", ticket.Subject);
        Assert.Equal(Now, ticket.LastCustomerMessageAt);
        var message = Assert.Single(ticket.Messages);
        Assert.False(message.FromStaff);
        Assert.Equal(ticket.OrganizationId, message.OrganizationId);
    }

    [Theory]
    [InlineData("", "body", "Subject")]
    [InlineData("subject", " ", "Body")]
    public void A_ticket_needs_a_subject_and_a_message(string subject, string body, string field)
    {
        var raised = Ticket.Raise(1, Guid.NewGuid(), Interruption, null, subject, body, Customer, [], Now);

        Assert.Equal(FailureKind.Invalid, raised.Failure!.Kind);
        Assert.Contains(field, raised.Failure.Errors!.Keys);
    }

    [Fact]
    public void Subject_and_message_lengths_are_limited()
    {
        Assert.NotNull(Ticket.Validate(new string('s', Ticket.SubjectMaxLength + 1), "body"));
        Assert.NotNull(Ticket.Validate("subject", new string('b', Ticket.BodyMaxLength + 1)));
        Assert.Null(Ticket.Validate(new string('s', Ticket.SubjectMaxLength), new string('b', Ticket.BodyMaxLength)));
    }

    [Fact]
    public void An_inactive_type_cannot_be_chosen()
    {
        var retired = new TicketType { Name = "Fax line", TeamId = Guid.NewGuid(), Active = false };

        var raised = Ticket.Raise(1, Guid.NewGuid(), retired, null, "Fax", "Broken", Customer, [], Now);

        Assert.Contains("TypeId", raised.Failure!.Errors!.Keys);
    }

    [Fact]
    public void A_staff_reply_waits_on_the_customer_and_the_customers_answer_opens_it_again()
    {
        var ticket = Raise();

        ticket.StaffReply(Staff, "Can you send a screenshot?", isInternal: false, null, [], Now.AddMinutes(5));
        Assert.Equal(TicketStatus.AwaitingCustomer, ticket.Status);
        Assert.Equal(Now.AddMinutes(5), ticket.LastStaffReplyAt);

        ticket.CustomerReply(Customer, "Here it is.", [], Now.AddMinutes(9));
        Assert.Equal(TicketStatus.Open, ticket.Status);
        Assert.Equal(Now.AddMinutes(9), ticket.LastCustomerMessageAt);
    }

    [Fact]
    public void An_internal_note_keeps_the_status_and_is_not_a_reply()
    {
        var ticket = Raise();

        var note = ticket.StaffReply(Staff, "Gateway queue is long.", isInternal: true, null, [], Now.AddMinutes(1)).Value!;

        Assert.True(note.Internal);
        Assert.Equal(TicketStatus.Open, ticket.Status);
        Assert.Null(ticket.LastStaffReplyAt);
    }

    [Fact]
    public void Staff_may_choose_the_status_after_a_reply_but_not_close_with_it()
    {
        var ticket = Raise();

        ticket.StaffReply(Staff, "Fixed.", isInternal: false, TicketStatus.Resolved, [], Now);
        Assert.Equal(TicketStatus.Resolved, ticket.Status);

        var closing = ticket.StaffReply(Staff, "Bye.", isInternal: false, TicketStatus.Closed, [], Now);
        Assert.Equal(FailureKind.Invalid, closing.Failure!.Kind);
        Assert.Equal(2, ticket.Messages.Count);
    }

    [Fact]
    public void A_closed_ticket_takes_no_replies_until_reopened()
    {
        var ticket = Raise();
        Assert.Null(ticket.Close(Now.AddHours(1)));
        Assert.Equal(Now.AddHours(1), ticket.ClosedAt);

        Assert.Equal(FailureKind.Conflict, ticket.CustomerReply(Customer, "One more thing", [], Now).Failure!.Kind);
        Assert.Equal(FailureKind.Conflict, ticket.StaffReply(Staff, "Note", isInternal: true, null, [], Now).Failure!.Kind);
        Assert.Single(ticket.Messages);

        Assert.Null(ticket.Reopen(Now.AddHours(2)));
        Assert.Equal(TicketStatus.Open, ticket.Status);
        Assert.Null(ticket.ClosedAt);
        Assert.True(ticket.CustomerReply(Customer, "One more thing", [], Now.AddHours(2)).Succeeded);
    }

    [Fact]
    public void Closing_twice_reopening_an_open_ticket_and_setting_the_same_status_are_refused()
    {
        var ticket = Raise();

        Assert.Equal(FailureKind.Conflict, ticket.Reopen(Now)!.Kind);
        Assert.Equal(FailureKind.Conflict, ticket.ChangeStatus(TicketStatus.Open, Now)!.Kind);
        ticket.Close(Now);
        Assert.Equal(FailureKind.Conflict, ticket.Close(Now)!.Kind);
    }

    [Fact]
    public void Staff_can_move_a_ticket_through_every_status()
    {
        var ticket = Raise();

        foreach (var status in new[] { TicketStatus.InProgress, TicketStatus.AwaitingCustomer, TicketStatus.Resolved, TicketStatus.Closed, TicketStatus.InProgress })
        {
            Assert.Null(ticket.ChangeStatus(status, Now));
            Assert.Equal(status, ticket.Status);
        }
        Assert.Null(ticket.ClosedAt);
    }

    [Fact]
    public void Attachments_belong_to_the_ticket_and_its_message()
    {
        var file = new TicketAttachment { FileName = "a.txt", ContentType = "text/plain", Size = 2, Content = "hi"u8.ToArray() };

        var ticket = Ticket.Raise(1, Guid.NewGuid(), Interruption, null, "s", "b", Customer, [file], Now).Value!;

        Assert.Equal(ticket.Id, file.TicketId);
        Assert.Equal(ticket.Messages[0].Id, file.MessageId);
        Assert.Equal(ticket.OrganizationId, file.OrganizationId);
    }
}
