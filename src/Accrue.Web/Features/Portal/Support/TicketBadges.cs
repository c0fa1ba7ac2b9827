using Accrue.Domain.Support;

namespace Accrue.Web.Features.Portal.Support;

/// <summary>The colour of a ticket's status badge.</summary>
public static class TicketBadges
{
    public static string For(TicketStatus status) => status switch
    {
        TicketStatus.Open => "text-bg-primary",
        TicketStatus.InProgress => "text-bg-info",
        TicketStatus.AwaitingCustomer => "text-bg-warning",
        TicketStatus.Resolved => "text-bg-success",
        _ => "text-bg-secondary",
    };
}
