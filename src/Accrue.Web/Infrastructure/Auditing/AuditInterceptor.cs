using System.Text.Json;
using Accrue.Domain.Common;
using Accrue.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Accrue.Web.Infrastructure.Auditing;

/// <summary>
/// Stamps the audit columns and writes one <see cref="AuditEntry"/> per changed row, in the same
/// SaveChanges, so no write escapes the audit log and no audit row exists for a write that failed.
/// </summary>
public sealed class AuditInterceptor(TimeProvider clock, IEnumerable<Infrastructure.Jobs.WakeSignal> signals) : SaveChangesInterceptor
{
    private readonly Infrastructure.Jobs.WakeSignal[] _signals = [.. signals];

    // Never copied into the audit log: secrets and noise.
    private static readonly HashSet<string> Hidden = new(StringComparer.Ordinal)
    {
        nameof(User.PasswordHash), nameof(User.SecurityStamp), nameof(User.ConcurrencyStamp),
        nameof(User.NormalizedEmail), nameof(User.NormalizedUserName), nameof(ApiKey.SecretHash), "Secret" /* webhook endpoints' signing secret */,
        // An uploaded file (an SLA PDF of up to 10 MB) would bloat every audit row; its name and type are kept.
        nameof(Accrue.Domain.Catalog.Document.Content),
        nameof(Entity.CreatedAt), nameof(Entity.CreatedBy), nameof(Entity.UpdatedAt), nameof(Entity.UpdatedBy),
    };

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is AccrueDb db) Stamp(db);
        return base.SavingChangesAsync(eventData, result, cancellationToken);
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        if (eventData.Context is AccrueDb db) Stamp(db);
        return base.SavingChanges(eventData, result);
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        foreach (var signal in _signals) signal.WakeIfQueued();
        return base.SavedChangesAsync(eventData, result, cancellationToken);
    }

    private void Stamp(AccrueDb db)
    {
        db.ChangeTracker.DetectChanges();
        var now = clock.GetUtcNow();
        var actor = db.Actor;
        var entries = db.ChangeTracker.Entries()
            .Where(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted)
            .ToList();

        foreach (var entry in entries)
        {
            if (entry.State is EntityState.Added or EntityState.Modified)
                foreach (var signal in _signals.Where(s => s.IsQueuedBy(entry.Entity))) signal.NoteQueued();
            if (entry.Entity is AuditEntry explicitEntry) { if (explicitEntry.At == default) explicitEntry.At = now; continue; }
            if (entry.Entity is Microsoft.AspNetCore.DataProtection.EntityFrameworkCore.DataProtectionKey) continue;
            if (entry.Entity is Entity stamped)
            {
                if (entry.State == EntityState.Added) { stamped.CreatedAt = now; stamped.CreatedBy = actor.Name; }
                if (entry.State != EntityState.Deleted) { stamped.UpdatedAt = now; stamped.UpdatedBy = actor.Name; }
            }
            // Queues, logs of their own and plumbing (outbox mail, webhook deliveries, sessions, Idempotency-Key claims).
            if (entry.Entity is INotAudited) continue;
            if (entry.Metadata.IsOwned() || entry.Metadata.ClrType.Name.StartsWith("IdentityUser", StringComparison.Ordinal)) continue;

            var changed = entry.State == EntityState.Modified
                ? entry.Properties.Where(p => p.IsModified && !Hidden.Contains(p.Metadata.Name)).ToList()
                : entry.Properties.Where(p => !Hidden.Contains(p.Metadata.Name)).ToList();
            var secretChanged = entry.State == EntityState.Modified && entry.Properties.Any(p => p.IsModified && p.Metadata.Name == nameof(User.PasswordHash));
            if (entry.State == EntityState.Modified && changed.Count == 0 && !secretChanged) continue;

            var typeName = entry.Metadata.ClrType.Name;
            var action = entry.State switch
            {
                EntityState.Added => "Created",
                EntityState.Deleted => "Deleted",
                _ when secretChanged => "PasswordChanged",
                _ => "Updated",
            };
            db.AuditEntries.Add(new AuditEntry
            {
                At = now,
                ActorUserId = actor.UserId,
                ActorName = actor.Name,
                OnBehalfOfUserId = actor.OnBehalfOfUserId,
                RemoteSupportSessionId = actor.RemoteSupportSessionId,
                OrganizationId = OrganizationOf(entry),
                Action = $"{typeName}.{action}",
                EntityType = typeName,
                EntityId = entry.Properties.FirstOrDefault(p => p.Metadata.IsPrimaryKey())?.CurrentValue?.ToString(),
                Before = entry.State == EntityState.Added ? null : Serialize(changed, p => p.OriginalValue),
                After = entry.State == EntityState.Deleted ? null : Serialize(changed, p => p.CurrentValue),
                Ip = actor.Ip,
            });
        }
    }

    private static Guid? OrganizationOf(EntityEntry entry) => entry.Entity switch
    {
        IOrganizationOwned owned => owned.OrganizationId,
        User user => user.OrganizationId,
        ApiKey key => key.OrganizationId,
        Accrue.Domain.Accounts.PermissionSet set => set.OrganizationId,
        _ => null,
    };

    private static string Serialize(List<PropertyEntry> properties, Func<PropertyEntry, object?> value) =>
        JsonSerializer.Serialize(properties.ToDictionary(p => p.Metadata.Name, p => value(p) is Enum e ? e.ToString() : value(p)));
}

/// <summary>Writes an audit entry for a business action that is more than a row change (an ownership transfer, a sign-in).</summary>
public static class AuditExtensions
{
    /// <summary>The time is stamped when the entry is saved.</summary>
    public static void Audit(this AccrueDb db, string action, string entityType, object? entityId, Guid? organizationId, object? details = null) =>
        db.AuditEntries.Add(new AuditEntry
        {
            ActorUserId = db.Actor.UserId,
            ActorName = db.Actor.Name,
            OnBehalfOfUserId = db.Actor.OnBehalfOfUserId,
            RemoteSupportSessionId = db.Actor.RemoteSupportSessionId,
            OrganizationId = organizationId,
            Action = action,
            EntityType = entityType,
            EntityId = entityId?.ToString(),
            After = details is null ? null : JsonSerializer.Serialize(details),
            Ip = db.Actor.Ip,
        });
}
