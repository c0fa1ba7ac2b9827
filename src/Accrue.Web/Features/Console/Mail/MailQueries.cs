using System.Text.RegularExpressions;
using Accrue.Web.Data;

namespace Accrue.Web.Features.Console.Mail;

public static partial class MailQueries
{
    /// <summary>
    /// The outbox has no tenant filter (the dispatcher reads all of it); partner staff see only
    /// messages about their partner's organizations.
    /// </summary>
    public static IQueryable<OutboxMessage> VisibleOutbox(this AccrueDb db) =>
        db.Actor.PartnerId is { } partnerId
            ? db.Outbox.Where(m => m.OrganizationId != null && db.Organizations.Any(o => o.Id == m.OrganizationId && o.PartnerId == partnerId))
            : db.Outbox;

    /// <summary>The mail log's filters: recipient (contains) and delivery status.</summary>
    public static IQueryable<OutboxMessage> Filter(this IQueryable<OutboxMessage> query, string? to, OutboxStatus? status)
    {
        if (!string.IsNullOrWhiteSpace(to))
        {
            var term = to.Trim().ToLower();
            query = query.Where(m => m.To.ToLower().Contains(term));
        }
        if (status is { } s) query = query.Where(m => m.Status == s);
        return query;
    }

    /// <summary>
    /// A message's text body as staff may read it. Links in sent mail carry live single-use tokens (password
    /// reset, invitation) that would let whoever reads the log take over the account, so they are hidden; mail
    /// written to files because no SMTP server is configured reached nobody, and the log is how the
    /// operator delivers it, so it is shown whole.
    /// </summary>
    public static string ReadableBody(OutboxMessage message) =>
        message.Status == OutboxStatus.WrittenToFile ? message.TextBody : Token().Replace(message.TextBody, "token=(hidden)");

    [GeneratedRegex(@"token=[^\s&]+")]
    private static partial Regex Token();
}
