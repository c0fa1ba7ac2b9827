using Accrue.Web.Data;

namespace Accrue.Web.Features.Console.Mail;

public static class MailQueries
{
    /// <summary>
    /// The outbox has no tenant filter (the dispatcher reads all of it); partner staff see only
    /// messages about their partner's organizations.
    /// </summary>
    public static IQueryable<OutboxMessage> VisibleOutbox(this AccrueDb db) =>
        db.Actor.PartnerId is { } partnerId
            ? db.Outbox.Where(m => m.OrganizationId != null && db.Organizations.Any(o => o.Id == m.OrganizationId && o.PartnerId == partnerId))
            : db.Outbox;
}
