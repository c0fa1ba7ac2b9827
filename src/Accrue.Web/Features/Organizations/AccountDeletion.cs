using System.Text.Json;
using Accrue.Domain.Accounts;
using Accrue.Domain.Common;
using Accrue.Domain.Support;
using Accrue.Web.Data;
using Accrue.Web.Infrastructure.Auditing;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Organizations;

/// <summary>
/// Deletes a closed customer account (seed 001 "Delete"; decision 0014): in one transaction its members'
/// personal data is erased or replaced everywhere Accrue copied it — members and their sign-ins, API keys,
/// the card on file, ticket texts and attachments, remote-support sessions, mail, webhook deliveries and the
/// names and addresses older audit entries hold — while invoices and credit notes stay as issued. The
/// organization row stays too, marked Deleted, so the legal records keep their owner. Bulk statements do the
/// erasing: they bypass the audit interceptor, which would otherwise copy every erased value into a new entry.
/// </summary>
public sealed class AccountDeletion(AccrueDb db, OrganizationCommands organizations, TimeProvider clock, ILogger<AccountDeletion> logger)
{
    public const string DeletedName = "Deleted user";
    public const string DeletedText = "[deleted]";
    private const string DeletedEmail = "deleted@deleted.invalid";

    // Audit entries about these rows are all personal (a member's name and email, a ticket's text, a card): their values go.
    private static readonly HashSet<string> PersonalEntities = new(StringComparer.Ordinal)
    {
        nameof(User), nameof(Member), nameof(Ticket), nameof(TicketMessage), nameof(TicketAttachment), nameof(RemoteSupportSession),
        nameof(Domain.Orders.CardOnFile), nameof(ApiKey), nameof(WebhookEndpoint),
    };

    public static string PlaceholderEmail(Guid id) => $"deleted-{id:N}@deleted.invalid";

    /// <summary>Operator staff only: deleting can't be undone, so partner staff close and the operator deletes.</summary>
    public async Task<Result<Organization>> DeleteAsync(Guid id, string? reason, CancellationToken ct = default)
    {
        if (!db.Actor.IsOperator) return Failure.Forbidden("Only operator staff delete an organization.");
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var organization = await db.Organizations.SingleOrDefaultAsync(o => o.Id == id, ct);
        if (organization is null) return Failure.NotFound("Organization");
        var before = organization.Status;
        var blockers = before == OrganizationStatus.Closed ? await organizations.BlockersAsync(organization, ct) : [];
        if (AccountClosure.Delete(organization, reason, blockers, clock.GetUtcNow()) is { } failure) return failure;

        var members = await db.Members.Where(m => m.OrganizationId == id).Select(m => new { m.Id, m.Name, m.Email, m.Phone }).ToListAsync(ct);
        var users = await db.Users.Where(u => u.OrganizationId == id).Select(u => new { u.Id, u.DisplayName, u.Email, u.PhoneNumber }).ToListAsync(ct);
        var userIds = users.Select(u => u.Id).ToList();
        var names = Distinct(members.Select(m => m.Name).Concat(users.Select(u => u.DisplayName)));
        var emails = Distinct(members.Select(m => m.Email).Concat(users.Select(u => u.Email)).Concat(await FormerEmailsAsync(id, ct)));
        var phones = Distinct(members.Select(m => m.Phone).Concat(users.Select(u => u.PhoneNumber)));
        var mailFiles = await db.Outbox.Where(m => m.OrganizationId == id || emails.Contains(m.To)).Select(m => m.FilePath).ToListAsync(ct);

        await EraseSignInsAsync(id, userIds, emails, ct);
        foreach (var member in members)
            await db.Members.Where(m => m.Id == member.Id).ExecuteUpdateAsync(s => s
                .SetProperty(m => m.Name, DeletedName).SetProperty(m => m.Email, PlaceholderEmail(member.Id))
                .SetProperty(m => m.Phone, (string?)null).SetProperty(m => m.PortalAccess, false), ct);
        await EraseSupportAsync(id, ct);
        await db.CardsOnFile.Where(c => c.OrganizationId == id).ExecuteDeleteAsync(ct);
        await db.Payments.Where(p => p.OrganizationId == id).ExecuteUpdateAsync(s => s.SetProperty(p => p.CardLast4, (string?)null), ct);
        await db.Outbox.Where(m => m.OrganizationId == id || emails.Contains(m.To)).ExecuteDeleteAsync(ct);
        await db.WebhookAttempts.Where(a => a.OrganizationId == id).ExecuteDeleteAsync(ct);
        await db.WebhookDeliveries.Where(d => d.OrganizationId == id).ExecuteDeleteAsync(ct);
        await db.WebhookEndpoints.Where(e => e.OrganizationId == id).ExecuteDeleteAsync(ct);
        await db.VoucherAttempts.Where(a => a.OrganizationId == id).ExecuteDeleteAsync(ct);
        await db.Vouchers.Where(v => v.RedeemedByOrganizationId == id && v.RedeemedBy != null)
            .ExecuteUpdateAsync(s => s.SetProperty(v => v.RedeemedBy, DeletedName), ct);
        await db.Orders.Where(o => o.OrganizationId == id && o.PlacedBy != null && names.Contains(o.PlacedBy))
            .ExecuteUpdateAsync(s => s.SetProperty(o => o.PlacedBy, DeletedName), ct);
        foreach (var type in db.Model.GetEntityTypes().Where(t => t.BaseType is null && !t.IsOwned() && typeof(Entity).IsAssignableFrom(t.ClrType)))
            await (Task)typeof(AccountDeletion).GetMethod(nameof(EraseStampsAsync), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!
                .MakeGenericMethod(type.ClrType).Invoke(this, [names, ct])!;
        await EraseAuditAsync(id, userIds, names, emails, phones, ct);

        // Invoices carry their own copy of the buyer's name and address; the name stays here to find them by.
        organization.BillingAddress = new Address();
        organization.RemoteSupportEnabled = false;
        organization.ChargeCardForRenewals = false;
        db.Audit("Organization.Deleted", nameof(Organization), organization.Id, organization.Id,
            new { From = before.ToString(), To = organization.Status.ToString(), Reason = organization.StatusReason, Members = members.Count });
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        DeleteMailFiles(mailFiles);
        return organization;
    }

    private async Task EraseSignInsAsync(Guid organizationId, List<Guid> userIds, List<string> emails, CancellationToken ct)
    {
        foreach (var userId in userIds)
        {
            var placeholder = PlaceholderEmail(userId);
            await db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(s => s
                .SetProperty(u => u.DisplayName, DeletedName)
                .SetProperty(u => u.UserName, placeholder).SetProperty(u => u.NormalizedUserName, placeholder.ToUpperInvariant())
                .SetProperty(u => u.Email, placeholder).SetProperty(u => u.NormalizedEmail, placeholder.ToUpperInvariant())
                .SetProperty(u => u.EmailConfirmed, false)
                .SetProperty(u => u.PhoneNumber, (string?)null).SetProperty(u => u.PhoneNumberConfirmed, false)
                .SetProperty(u => u.PasswordHash, (string?)null).SetProperty(u => u.TwoFactorEnabled, false)
                // A new stamp ends every cookie issued before; without a password or an email nobody signs in again.
                .SetProperty(u => u.SecurityStamp, Guid.NewGuid().ToString("N")).SetProperty(u => u.ConcurrencyStamp, Guid.NewGuid().ToString()), ct);
        }
        await db.UserSessions.Where(s => userIds.Contains(s.UserId)).ExecuteDeleteAsync(ct);
        await db.UserLogins.Where(l => userIds.Contains(l.UserId)).ExecuteDeleteAsync(ct);
        await db.UserTokens.Where(t => userIds.Contains(t.UserId)).ExecuteDeleteAsync(ct);
        await db.UserClaims.Where(c => userIds.Contains(c.UserId)).ExecuteDeleteAsync(ct);
        var accounts = emails.Select(EmailAddress.Normalize).Distinct().ToList();
        await db.SignInAttempts.Where(a => accounts.Contains(a.Account)).ExecuteDeleteAsync(ct);

        // Stored answers of Idempotency-Key requests hold whole response bodies (members, tickets).
        var keyIds = await db.ApiKeys.Where(k => k.OrganizationId == organizationId).Select(k => k.Id).ToListAsync(ct);
        var scopes = keyIds.Select(k => $"key:{k}").Concat(userIds.Select(u => $"user:{u}")).ToList();
        await db.IdempotencyRecords.Where(r => scopes.Contains(r.Scope)).ExecuteDeleteAsync(ct);
        await db.ApiKeys.Where(k => k.OrganizationId == organizationId).ExecuteDeleteAsync(ct);
    }

    private async Task EraseSupportAsync(Guid organizationId, CancellationToken ct)
    {
        await db.TicketAttachments.Where(a => a.OrganizationId == organizationId).ExecuteDeleteAsync(ct);
        await db.TicketMessages.Where(m => m.OrganizationId == organizationId).ExecuteUpdateAsync(s => s
            .SetProperty(m => m.Body, DeletedText).SetProperty(m => m.AuthorName, m => m.FromStaff ? m.AuthorName : DeletedName), ct);
        await db.Tickets.Where(t => t.OrganizationId == organizationId).ExecuteUpdateAsync(s => s
            .SetProperty(t => t.Subject, DeletedText).SetProperty(t => t.RaisedByName, DeletedName), ct);
        await db.RemoteSupportSessions.Where(r => r.OrganizationId == organizationId).ExecuteUpdateAsync(s => s
            .SetProperty(r => r.MemberName, DeletedName).SetProperty(r => r.Reason, DeletedText), ct);
    }

    /// <summary>Every row a member wrote carries their name in <see cref="Entity.CreatedBy"/> or <see cref="Entity.UpdatedBy"/>.</summary>
    private async Task EraseStampsAsync<T>(List<string> names, CancellationToken ct) where T : Entity
    {
        await db.Set<T>().Where(e => e.CreatedBy != null && names.Contains(e.CreatedBy)).ExecuteUpdateAsync(s => s.SetProperty(e => e.CreatedBy, DeletedName), ct);
        await db.Set<T>().Where(e => e.UpdatedBy != null && names.Contains(e.UpdatedBy)).ExecuteUpdateAsync(s => s.SetProperty(e => e.UpdatedBy, DeletedName), ct);
    }

    /// <summary>Addresses a member used before an email change live on only in the audit entries of the change.</summary>
    private async Task<IEnumerable<string?>> FormerEmailsAsync(Guid organizationId, CancellationToken ct)
    {
        var changes = await db.AuditEntries
            .Where(a => a.OrganizationId == organizationId && (a.Action == "User.EmailChanged" || a.Action == "User.EmailRestored") && a.After != null)
            .Select(a => a.After!).ToListAsync(ct);
        return changes.SelectMany(json =>
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.String).Select(p => p.Value.GetString()).ToList();
        });
    }

    /// <summary>
    /// The audit trail stays — what happened, when, and which staff did it — but not the members' data: entries
    /// about personal rows lose their values, other entries lose the members' names, emails and phone numbers,
    /// and the members' own entries lose their name and IP address.
    /// </summary>
    private async Task EraseAuditAsync(Guid organizationId, List<Guid> userIds, List<string> names, List<string> emails, List<string> phones, CancellationToken ct)
    {
        var entries = await db.AuditEntries
            .Where(a => a.OrganizationId == organizationId || (a.ActorUserId != null && userIds.Contains(a.ActorUserId.Value)))
            .Select(a => new { a.Id, a.ActorUserId, a.ActorName, a.EntityType, a.Before, a.After, a.Ip }).ToListAsync(ct);
        var replacements = names.Select(n => (n, DeletedName)).Concat(emails.Select(e => (e, DeletedEmail))).Concat(phones.Select(p => (p, "")))
            .OrderByDescending(r => r.Item1.Length).ToList();
        foreach (var entry in entries)
        {
            var byMember = entry.ActorUserId is { } actor && userIds.Contains(actor);
            var personal = PersonalEntities.Contains(entry.EntityType);
            var actorName = byMember ? DeletedName : Replace(entry.ActorName, replacements)!;
            var beforeValues = personal ? null : Replace(entry.Before, replacements);
            var afterValues = personal ? null : Replace(entry.After, replacements);
            var ip = byMember ? null : entry.Ip;
            if ((actorName, beforeValues, afterValues, ip) == (entry.ActorName, entry.Before, entry.After, entry.Ip)) continue;
            await db.AuditEntries.Where(a => a.Id == entry.Id).ExecuteUpdateAsync(s => s
                .SetProperty(a => a.ActorName, actorName).SetProperty(a => a.Before, beforeValues)
                .SetProperty(a => a.After, afterValues).SetProperty(a => a.Ip, ip), ct);
        }
    }

    /// <summary>Replaces each value as written and as JSON escapes it (a phone's "+" is "\u002B" in a serialized entry).</summary>
    private static string? Replace(string? text, List<(string Value, string By)> replacements)
    {
        if (string.IsNullOrEmpty(text)) return text;
        foreach (var (value, by) in replacements)
        {
            text = text.Replace(value, by, StringComparison.OrdinalIgnoreCase);
            var escaped = JsonSerializer.Serialize(value)[1..^1];
            if (escaped != value) text = text.Replace(escaped, by, StringComparison.OrdinalIgnoreCase);
        }
        return text;
    }

    private static List<string> Distinct(IEnumerable<string?> values) =>
        values.Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v!).Distinct(StringComparer.OrdinalIgnoreCase).ToList();

    /// <summary>Mail written to files (no SMTP server configured) is a copy too; a file that can't be removed is logged, not fatal.</summary>
    private void DeleteMailFiles(IEnumerable<string?> paths)
    {
        foreach (var path in paths.Where(p => !string.IsNullOrEmpty(p)))
        {
            try { File.Delete(path!); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                logger.LogWarning(e, "Could not delete the mail file {Path} of a deleted organization", path);
            }
        }
    }
}
