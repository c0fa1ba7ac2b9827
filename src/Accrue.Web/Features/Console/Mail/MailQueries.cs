using System.Text.RegularExpressions;
using Accrue.Web.Data;
using Accrue.Web.Infrastructure.Email;

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
    /// A message's text body as staff and API keys may read it. Single-use links (password reset, invitation,
    /// email confirmation, account recovery) and voucher codes would let whoever reads the log take over the
    /// account or spend the codes, so they are hidden whatever the delivery mode: the recipient reads them in
    /// their mailbox, and a developer without SMTP opens the .eml file in the pickup directory.
    /// </summary>
    public static string ReadableBody(OutboxMessage message) =>
        message.LogTextBody ?? TokenLink().Replace(message.TextBody, EmailTemplates.Hidden("Link"));

    /// <summary>Any link whose query carries a token (the shape of every single-use link Accrue sends).</summary>
    [GeneratedRegex(@"https?://\S*[?&](token|code)=\S*", RegexOptions.IgnoreCase)]
    private static partial Regex TokenLink();
}
