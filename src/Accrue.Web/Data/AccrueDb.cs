using System.Linq.Expressions;
using Accrue.Domain.Accounts;
using Accrue.Domain.Common;
using Accrue.Web.Infrastructure.Tenancy;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Data;

/// <summary>
/// The one database context. Every organization-owned table is filtered to what the current actor
/// may see (DESIGN §3, tenancy): a member sees their organization, partner staff their partner's.
/// Provider-specific subclasses exist only to keep one migration set per provider.
/// </summary>
public abstract class AccrueDb(DbContextOptions options, CurrentActor actor)
    : IdentityUserContext<User, Guid>(options), IDataProtectionKeyContext
{
    // Read by the query filters; EF parameterizes them per context instance and query.
    private Guid? TenantOrganizationId => actor.Value.OrganizationId;
    private Guid? TenantPartnerId => actor.Value.PartnerId;

    public Actor Actor => actor.Value;

    public DbSet<Operator> Operators => Set<Operator>();
    public DbSet<Partner> Partners => Set<Partner>();
    public DbSet<Organization> Organizations => Set<Organization>();
    public DbSet<Member> Members => Set<Member>();
    public DbSet<PermissionSet> PermissionSets => Set<PermissionSet>();
    public DbSet<Department> Departments => Set<Department>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<OutboxMessage> Outbox => Set<OutboxMessage>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);

        builder.Entity<User>(u =>
        {
            u.Property(x => x.DisplayName).HasMaxLength(200);
            u.Property(x => x.Kind).HasConversion<string>().HasMaxLength(16);
            u.HasIndex(x => x.NormalizedEmail).IsUnique();
        });

        builder.Entity<Operator>(o => o.Property(x => x.Name).HasMaxLength(200));
        builder.Entity<Partner>(p => p.Property(x => x.Name).HasMaxLength(200));

        builder.Entity<Organization>(o =>
        {
            o.Property(x => x.Name).HasMaxLength(200);
            o.Property(x => x.BillingName).HasMaxLength(200);
            o.Property(x => x.Country).HasMaxLength(2);
            o.Property(x => x.Currency).HasMaxLength(3);
            o.Property(x => x.TimeZone).HasMaxLength(64);
            o.Property(x => x.BillingMode).HasConversion<string>().HasMaxLength(16);
            o.Property(x => x.Status).HasConversion<string>().HasMaxLength(16);
            o.ComplexProperty(x => x.BillingAddress, a =>
            {
                a.Property(x => x.Line1).HasMaxLength(200);
                a.Property(x => x.Line2).HasMaxLength(200);
                a.Property(x => x.City).HasMaxLength(100);
                a.Property(x => x.Region).HasMaxLength(100);
                a.Property(x => x.PostalCode).HasMaxLength(20);
            });
            o.HasOne<Partner>().WithMany().HasForeignKey(x => x.PartnerId).OnDelete(DeleteBehavior.Restrict);
            o.HasOne<Operator>().WithMany().HasForeignKey(x => x.OperatorId).OnDelete(DeleteBehavior.Restrict);
            o.HasIndex(x => x.Name);
            o.HasIndex(x => new { x.PartnerId, x.Name });
            o.HasQueryFilter(x => (TenantOrganizationId == null || x.Id == TenantOrganizationId)
                && (TenantPartnerId == null || x.PartnerId == TenantPartnerId));
        });

        builder.Entity<Member>(m =>
        {
            m.Property(x => x.Name).HasMaxLength(200);
            m.Property(x => x.Email).HasMaxLength(254);
            m.Property(x => x.Phone).HasMaxLength(40);
            m.Property(x => x.Role).HasConversion<string>().HasMaxLength(16);
            m.HasOne<Organization>().WithMany(o => o.Members).HasForeignKey(x => x.OrganizationId);
            m.HasOne<User>().WithOne().HasForeignKey<Member>(x => x.UserId).OnDelete(DeleteBehavior.Restrict);
            m.HasOne(x => x.PermissionSet).WithMany().HasForeignKey(x => x.PermissionSetId).OnDelete(DeleteBehavior.Restrict);
            m.HasOne(x => x.Department).WithMany().HasForeignKey(x => x.DepartmentId).OnDelete(DeleteBehavior.SetNull);
            m.HasIndex(x => new { x.OrganizationId, x.Email }).IsUnique();
            // Exactly one Owner per organization, enforced by the database as well as the domain.
            m.HasIndex(x => x.OrganizationId).HasFilter("\"Role\" = 'Owner'").IsUnique().HasDatabaseName("IX_Members_OneOwner");
        });

        builder.Entity<PermissionSet>(p =>
        {
            p.Property(x => x.Name).HasMaxLength(100);
            p.HasOne<Organization>().WithMany().HasForeignKey(x => x.OrganizationId);
            p.HasIndex(x => new { x.OrganizationId, x.Name }).IsUnique();
            p.HasQueryFilter(x => x.OrganizationId == null || TenantOrganizationId == null || x.OrganizationId == TenantOrganizationId);
            p.HasData(PermissionSet.BuiltIn().Select(s => new { s.Id, s.Name, s.Permissions, CreatedAt = DateTimeOffset.UnixEpoch, UpdatedAt = DateTimeOffset.UnixEpoch }));
        });

        builder.Entity<Department>(d =>
        {
            d.Property(x => x.Name).HasMaxLength(100);
            d.HasOne<Organization>().WithMany().HasForeignKey(x => x.OrganizationId);
            d.HasIndex(x => new { x.OrganizationId, x.Name }).IsUnique();
        });

        builder.Entity<ApiKey>(k =>
        {
            k.Property(x => x.Name).HasMaxLength(100);
            k.Property(x => x.Prefix).HasMaxLength(16);
            k.HasIndex(x => x.Prefix).IsUnique();
            k.HasQueryFilter(x => (TenantOrganizationId == null || x.OrganizationId == TenantOrganizationId)
                && (TenantPartnerId == null || x.PartnerId == TenantPartnerId));
        });

        builder.Entity<AuditEntry>(a =>
        {
            a.Property(x => x.ActorName).HasMaxLength(200);
            a.Property(x => x.Action).HasMaxLength(100);
            a.Property(x => x.EntityType).HasMaxLength(100);
            a.Property(x => x.EntityId).HasMaxLength(64);
            a.Property(x => x.Ip).HasMaxLength(64);
            a.HasIndex(x => x.At);
            a.HasIndex(x => new { x.OrganizationId, x.At });
            a.HasQueryFilter(x => TenantOrganizationId == null || x.OrganizationId == TenantOrganizationId);
        });

        builder.Entity<OutboxMessage>(m =>
        {
            m.Property(x => x.Template).HasMaxLength(64);
            m.Property(x => x.To).HasMaxLength(254);
            m.Property(x => x.Subject).HasMaxLength(300);
            m.Property(x => x.Status).HasConversion<string>().HasMaxLength(16);
            m.HasIndex(x => new { x.Status, x.NextAttemptAt });
            m.HasIndex(x => x.CreatedAt);
        });

        foreach (var type in builder.Model.GetEntityTypes().Where(t => typeof(IOrganizationOwned).IsAssignableFrom(t.ClrType) && t.ClrType != typeof(Organization)))
            typeof(AccrueDb).GetMethod(nameof(FilterByTenant), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!
                .MakeGenericMethod(type.ClrType).Invoke(this, [builder]);

        ConfigureProvider(builder);
    }

    private void FilterByTenant<T>(ModelBuilder builder) where T : class, IOrganizationOwned
    {
        Expression<Func<T, bool>> filter = x => (TenantOrganizationId == null || x.OrganizationId == TenantOrganizationId)
            && (TenantPartnerId == null || Organizations.Any(o => o.Id == x.OrganizationId && o.PartnerId == TenantPartnerId));
        builder.Entity<T>().HasQueryFilter(filter);
    }

    /// <summary>Column types that differ between SQLite and PostgreSQL.</summary>
    protected virtual void ConfigureProvider(ModelBuilder builder) { }
}

public sealed class SqliteAccrueDb(DbContextOptions<SqliteAccrueDb> options, CurrentActor actor) : AccrueDb(options, actor)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite has no offset-aware type; store instants as UTC ticks so they sort and compare correctly.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetTicksConverter>();
    }
}

public sealed class PostgresAccrueDb(DbContextOptions<PostgresAccrueDb> options, CurrentActor actor) : AccrueDb(options, actor);

public sealed class DateTimeOffsetTicksConverter() : Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter<DateTimeOffset, long>(
    v => v.UtcTicks,
    v => new DateTimeOffset(v, TimeSpan.Zero));
