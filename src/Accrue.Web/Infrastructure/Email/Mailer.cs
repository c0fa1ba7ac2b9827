using Accrue.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Infrastructure.Email;

/// <summary>
/// Queues an email in the outbox of the given context. Nothing is sent until the caller's
/// SaveChanges commits, and then the dispatcher sends it.
/// </summary>
public sealed class Mailer(AccrueDb db, TimeProvider clock)
{
    public async Task QueueAsync(EmailTemplates.Template template, string to, Guid? organizationId, IReadOnlyDictionary<string, string> values)
    {
        var operatorName = await db.Operators.Select(o => o.Name).FirstOrDefaultAsync() ?? "Accrue";
        var all = new Dictionary<string, string>(values) { ["Operator"] = operatorName };
        var (subject, text, html, log) = EmailTemplates.Render(template, all);
        var now = clock.GetUtcNow();
        db.Outbox.Add(new OutboxMessage
        {
            OrganizationId = organizationId,
            Template = template.Key,
            To = to,
            Subject = subject,
            TextBody = text,
            HtmlBody = html,
            LogTextBody = log,
            CreatedAt = now,
            NextAttemptAt = now,
        });
    }
}

/// <summary>Wakes the email outbox's dispatcher after a commit that queued mail.</summary>
public sealed class OutboxSignal : Infrastructure.Jobs.WakeSignal
{
    public override bool IsQueuedBy(object row) => row is OutboxMessage;
}
