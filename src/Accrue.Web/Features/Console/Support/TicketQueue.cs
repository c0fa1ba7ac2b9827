using System.Globalization;
using Accrue.Domain.Support;
using Microsoft.AspNetCore.Mvc;

namespace Accrue.Web.Features.Console.Support;

/// <summary>
/// The queue's filters, read from the query string so they work as a plain GET form and as links.
/// No status means every ticket that is not closed; "all" really means all.
/// </summary>
public sealed class TicketQueueSearch
{
    public const string AllStatuses = "all";
    public const string Me = "me";
    public const string Unassigned = "unassigned";

    [FromQuery(Name = "status")] public string? Status { get; set; }
    [FromQuery(Name = "type")] public Guid? Type { get; set; }
    [FromQuery(Name = "organization")] public Guid? Organization { get; set; }
    [FromQuery(Name = "team")] public Guid? Team { get; set; }
    [FromQuery(Name = "assignee")] public string? Assignee { get; set; }

    public bool IsFiltered => !string.IsNullOrEmpty(Status) || Type is not null || Organization is not null || Team is not null || !string.IsNullOrEmpty(Assignee);

    /// <summary>The oldest wait on a customer comes first: that is the ticket to answer next.</summary>
    public IQueryable<Ticket> Apply(IQueryable<Ticket> tickets, Guid? me)
    {
        var query = tickets;
        if (string.IsNullOrEmpty(Status)) query = query.Where(t => t.Status != TicketStatus.Closed);
        else if (Enum.TryParse<TicketStatus>(Status, ignoreCase: true, out var status) && Enum.IsDefined(status)) query = query.Where(t => t.Status == status);
        else if (!string.Equals(Status, AllStatuses, StringComparison.OrdinalIgnoreCase)) query = query.Where(_ => false);
        if (Type is { } type) query = query.Where(t => t.TypeId == type);
        if (Organization is { } organization) query = query.Where(t => t.OrganizationId == organization);
        if (Team is { } team) query = query.Where(t => t.TeamId == team);
        if (string.Equals(Assignee, Unassigned, StringComparison.OrdinalIgnoreCase)) query = query.Where(t => t.AssigneeUserId == null);
        else if (string.Equals(Assignee, Me, StringComparison.OrdinalIgnoreCase)) query = query.Where(t => t.AssigneeUserId == me);
        else if (Guid.TryParse(Assignee, out var assignee)) query = query.Where(t => t.AssigneeUserId == assignee);
        else if (!string.IsNullOrEmpty(Assignee)) query = query.Where(_ => false);
        return query.OrderBy(t => t.LastCustomerMessageAt).ThenBy(t => t.Number);
    }
}

public static class SupportText
{
    /// <summary>"3 h 12 min", "2 d 4 h", "5 min": how long a customer has waited since they last wrote.</summary>
    public static string Since(TimeSpan elapsed)
    {
        if (elapsed < TimeSpan.Zero) elapsed = TimeSpan.Zero;
        var culture = CultureInfo.InvariantCulture;
        if (elapsed.TotalDays >= 1) return string.Create(culture, $"{(int)elapsed.TotalDays} d {elapsed.Hours} h");
        if (elapsed.TotalHours >= 1) return string.Create(culture, $"{(int)elapsed.TotalHours} h {elapsed.Minutes} min");
        return string.Create(culture, $"{elapsed.Minutes} min");
    }

    public static string Status(TicketStatus status) => Features.Support.TicketCommands.Label(status);

    public static string Size(long bytes) => bytes switch
    {
        < 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes} B"),
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.#} KB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):0.#} MB"),
    };

    /// <summary>Bootstrap badge colour for a status.</summary>
    public static string StatusClass(TicketStatus status) => status switch
    {
        TicketStatus.Open => "text-bg-primary",
        TicketStatus.InProgress => "text-bg-info",
        TicketStatus.AwaitingCustomer => "text-bg-warning",
        TicketStatus.Resolved => "text-bg-success",
        _ => "text-bg-secondary",
    };
}
