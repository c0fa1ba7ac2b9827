using System.Linq.Expressions;
using Accrue.Domain.Accounts;
using Accrue.Domain.Catalog;
using Accrue.Domain.Common;
using Accrue.Domain.Invoices;
using Accrue.Domain.Orders;
using Accrue.Domain.Subscriptions;
using Accrue.Domain.Support;
using Accrue.Domain.Usage;
using Accrue.Domain.Vouchers;
using Accrue.Domain.Wallets;
using Accrue.Web.Infrastructure.Payments;
using Accrue.Web.Infrastructure.Tenancy;
using Accrue.Web.Infrastructure.Web;
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

    /// <summary>
    /// The Idempotency-Key the request this context serves holds (set by <see cref="Idempotency"/>): every
    /// SaveChanges then records, in its own transaction, that the request's work committed.
    /// </summary>
    public IdempotencyClaim? Claim { get; set; }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        Claim?.MarkEffect(this);
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        Claim?.MarkEffect(this);
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

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
    public DbSet<Counter> Counters => Set<Counter>();
    public DbSet<Product> Products => Set<Product>();
    public DbSet<Plan> Plans => Set<Plan>();
    public DbSet<PlanVersion> PlanVersions => Set<PlanVersion>();
    public DbSet<SeatType> SeatTypes => Set<SeatType>();
    public DbSet<TaxRate> TaxRates => Set<TaxRate>();
    public DbSet<Document> Documents => Set<Document>();
    public DbSet<Subscription> Subscriptions => Set<Subscription>();
    public DbSet<SubscriptionItem> SubscriptionItems => Set<SubscriptionItem>();
    public DbSet<Order> Orders => Set<Order>();
    public DbSet<OrderEvent> OrderEvents => Set<OrderEvent>();
    public DbSet<Payment> Payments => Set<Payment>();
    public DbSet<Invoice> Invoices => Set<Invoice>();
    public DbSet<SandboxCharge> SandboxCharges => Set<SandboxCharge>();
    public DbSet<InvoiceEvent> InvoiceEvents => Set<InvoiceEvent>();
    public DbSet<CardOnFile> CardsOnFile => Set<CardOnFile>();
    public DbSet<GatewayEvent> GatewayEvents => Set<GatewayEvent>();
    public DbSet<Wallet> Wallets => Set<Wallet>();
    public DbSet<WalletEntry> WalletEntries => Set<WalletEntry>();
    public DbSet<Meter> Meters => Set<Meter>();
    public DbSet<UnitBalance> UnitBalances => Set<UnitBalance>();
    public DbSet<UnitEntry> UnitEntries => Set<UnitEntry>();
    public DbSet<UsageEvent> UsageEvents => Set<UsageEvent>();
    public DbSet<UsageTotal> UsageTotals => Set<UsageTotal>();
    public DbSet<VoucherBatch> VoucherBatches => Set<VoucherBatch>();
    public DbSet<Voucher> Vouchers => Set<Voucher>();
    public DbSet<VoucherAttempt> VoucherAttempts => Set<VoucherAttempt>();
    public DbSet<Infrastructure.Security.SignInAttempt> SignInAttempts => Set<Infrastructure.Security.SignInAttempt>();
    public DbSet<Infrastructure.Security.UserSession> UserSessions => Set<Infrastructure.Security.UserSession>();
    public DbSet<IdempotencyRecord> IdempotencyRecords => Set<IdempotencyRecord>();
    public DbSet<SupportTeam> SupportTeams => Set<SupportTeam>();
    public DbSet<SupportTeamMember> SupportTeamMembers => Set<SupportTeamMember>();
    public DbSet<TicketType> TicketTypes => Set<TicketType>();
    public DbSet<Ticket> Tickets => Set<Ticket>();
    public DbSet<TicketMessage> TicketMessages => Set<TicketMessage>();
    public DbSet<TicketAttachment> TicketAttachments => Set<TicketAttachment>();
    public DbSet<FaqCategory> FaqCategories => Set<FaqCategory>();
    public DbSet<FaqArticle> FaqArticles => Set<FaqArticle>();
    public DbSet<RemoteSupportSession> RemoteSupportSessions => Set<RemoteSupportSession>();
    public DbSet<Infrastructure.Jobs.JobLease> JobLeases => Set<Infrastructure.Jobs.JobLease>();
    public DbSet<BillingRun> BillingRuns => Set<BillingRun>();
    public DbSet<RenewalReminder> RenewalReminders => Set<RenewalReminder>();
    public DbSet<RenewalFailureNotice> RenewalFailureNotices => Set<RenewalFailureNotice>();
    public DbSet<WebhookEndpoint> WebhookEndpoints => Set<WebhookEndpoint>();
    public DbSet<WebhookDelivery> WebhookDeliveries => Set<WebhookDelivery>();
    public DbSet<WebhookAttempt> WebhookAttempts => Set<WebhookAttempt>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);

        builder.Entity<User>(u =>
        {
            u.Property(x => x.DisplayName).HasMaxLength(200);
            u.Property(x => x.Kind).HasConversion<string>().HasMaxLength(16);
            u.Property(x => x.StaffPermissions).HasConversion<string>().HasMaxLength(100);
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

        ConfigureCommerce(builder);
        ConfigureMoney(builder);
        ConfigureSupport(builder);
        ConfigureAutomation(builder);
        ConfigureWebhooks(builder);

        // Ids are made in code (Guid v7), so a new row reached through a navigation is an insert, not an update.
        foreach (var type in builder.Model.GetEntityTypes().Where(t => typeof(Entity).IsAssignableFrom(t.ClrType)))
            builder.Entity(type.ClrType).Property(nameof(Entity.Id)).ValueGeneratedNever();

        foreach (var type in builder.Model.GetEntityTypes().Where(t => typeof(IOrganizationOwned).IsAssignableFrom(t.ClrType) && t.ClrType != typeof(Organization)))
            typeof(AccrueDb).GetMethod(nameof(FilterByTenant), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!
                .MakeGenericMethod(type.ClrType).Invoke(this, [builder]);

        ConfigureProvider(builder);
    }

    private static void ConfigureCommerce(ModelBuilder builder)
    {
        builder.Entity<Operator>(o =>
        {
            o.Property(x => x.InvoicePrefix).HasMaxLength(20);
            o.Property(x => x.CreditNotePrefix).HasMaxLength(20);
            o.Property(x => x.LegalName).HasMaxLength(200);
            o.Property(x => x.LegalAddress).HasMaxLength(500);
            o.Property(x => x.TaxRegistration).HasMaxLength(60);
        });
        builder.Entity<Member>(m =>
        {
            m.HasOne<Subscription>().WithMany().HasForeignKey(x => x.SeatSubscriptionId).OnDelete(DeleteBehavior.SetNull);
            m.HasOne<SeatType>().WithMany().HasForeignKey(x => x.SeatTypeId).OnDelete(DeleteBehavior.Restrict);
        });
        builder.Entity<Counter>(c =>
        {
            c.HasKey(x => x.Key);
            c.Property(x => x.Key).HasMaxLength(100);
        });

        builder.Entity<Product>(p =>
        {
            p.Property(x => x.Code).HasMaxLength(40);
            p.Property(x => x.Name).HasMaxLength(200);
            p.Property(x => x.Description).HasMaxLength(2000);
            p.Property(x => x.Kind).HasConversion<string>().HasMaxLength(16);
            p.Property(x => x.Meter).HasMaxLength(40);
            p.HasOne<Operator>().WithMany().HasForeignKey(x => x.OperatorId).OnDelete(DeleteBehavior.Restrict);
            p.HasIndex(x => new { x.OperatorId, x.Code }).IsUnique();
        });
        builder.Entity<Plan>(p =>
        {
            p.Property(x => x.Code).HasMaxLength(40);
            p.Property(x => x.Name).HasMaxLength(200);
            p.Property(x => x.UnitName).HasMaxLength(40);
            p.Property(x => x.Period).HasConversion<string>().HasMaxLength(8);
            p.Property(x => x.Model).HasConversion<string>().HasMaxLength(16);
            p.Property(x => x.CancellationRule).HasConversion<string>().HasMaxLength(16);
            p.HasOne(x => x.Product).WithMany().HasForeignKey(x => x.ProductId).OnDelete(DeleteBehavior.Restrict);
            p.HasOne<PlanVersion>().WithMany().HasForeignKey(x => x.CurrentVersionId).OnDelete(DeleteBehavior.Restrict);
            p.HasOne<Document>().WithMany().HasForeignKey(x => x.SlaDocumentId).OnDelete(DeleteBehavior.SetNull);
            p.HasMany(x => x.SeatTypes).WithOne().HasForeignKey(x => x.PlanId);
            p.HasIndex(x => x.Code).IsUnique();
        });
        builder.Entity<SeatType>(t =>
        {
            t.Property(x => x.Code).HasMaxLength(40);
            t.Property(x => x.Name).HasMaxLength(100);
            t.HasIndex(x => new { x.PlanId, x.Code }).IsUnique();
        });
        builder.Entity<PlanVersion>(v =>
        {
            v.HasOne<Plan>().WithMany().HasForeignKey(x => x.PlanId);
            v.Property(x => x.Prices).HasJsonConversion();
            v.HasIndex(x => new { x.PlanId, x.Number }).IsUnique();
        });
        builder.Entity<TaxRate>(t =>
        {
            t.Property(x => x.Country).HasMaxLength(2);
            t.Property(x => x.Name).HasMaxLength(40);
            t.Property(x => x.Rate).HasPrecision(9, 6);
            t.HasIndex(x => new { x.OperatorId, x.Country }).IsUnique();
        });
        builder.Entity<Document>(d =>
        {
            d.Property(x => x.FileName).HasMaxLength(200);
            d.Property(x => x.ContentType).HasMaxLength(100);
        });

        builder.Entity<Subscription>(s =>
        {
            s.Property(x => x.Currency).HasMaxLength(3);
            s.Property(x => x.Status).HasConversion<string>().HasMaxLength(16);
            s.Property(x => x.UnitLabel).HasMaxLength(100);
            s.Property(x => x.Revision).IsConcurrencyToken();
            s.Ignore(x => x.Term);
            s.Ignore(x => x.Seats);
            s.Ignore(x => x.LatestSeats);
            s.Ignore(x => x.SeatSpans);
            s.HasOne<Organization>().WithMany().HasForeignKey(x => x.OrganizationId);
            s.HasOne<Plan>().WithMany().HasForeignKey(x => x.PlanId).OnDelete(DeleteBehavior.Restrict);
            s.HasOne<PlanVersion>().WithMany().HasForeignKey(x => x.PlanVersionId).OnDelete(DeleteBehavior.Restrict);
            s.HasOne<Member>().WithMany().HasForeignKey(x => x.MemberId).OnDelete(DeleteBehavior.SetNull);
            // Few subscriptions belong to one member: the others stay out of the index, so renewing them doesn't write it.
            s.HasIndex(x => x.MemberId).HasFilter("\"MemberId\" IS NOT NULL");
            s.HasMany(x => x.Items).WithOne().HasForeignKey(x => x.SubscriptionId);
            s.HasIndex(x => new { x.OrganizationId, x.Status });
            s.HasIndex(x => new { x.Status, x.TermEnd });
        });
        builder.Entity<SubscriptionItem>(i =>
        {
            i.Property(x => x.Kind).HasConversion<string>().HasMaxLength(16);
            i.Property(x => x.Name).HasMaxLength(200);
            i.Property(x => x.SerialNumber).HasMaxLength(100);
            i.HasOne<SeatType>().WithMany().HasForeignKey(x => x.SeatTypeId).OnDelete(DeleteBehavior.Restrict);
        });

        builder.Entity<Order>(o =>
        {
            o.Property(x => x.Type).HasConversion<string>().HasMaxLength(16);
            o.Property(x => x.Status).HasConversion<string>().HasMaxLength(20);
            o.Property(x => x.QuantityUnit).HasMaxLength(40);
            o.Property(x => x.Description).HasMaxLength(500);
            o.Property(x => x.Currency).HasMaxLength(3);
            o.Property(x => x.ProrationNote).HasMaxLength(300);
            o.Property(x => x.PlacedBy).HasMaxLength(200);
            o.Property(x => x.Lines).HasJsonConversion();
            o.Property(x => x.Revision).IsConcurrencyToken();
            o.Ignore(x => x.Reference);
            o.HasOne<Organization>().WithMany().HasForeignKey(x => x.OrganizationId);
            o.HasMany(x => x.Events).WithOne().HasForeignKey(x => x.OrderId);
            o.HasIndex(x => x.Number).IsUnique();
            o.HasIndex(x => new { x.OrganizationId, x.CreatedAt });
            o.HasIndex(x => new { x.Status, x.CreatedAt });
            o.Property(x => x.RequestKey).HasMaxLength(64);
            o.HasIndex(x => x.RequestKey).IsUnique();
        });
        builder.Entity<OrderEvent>(e =>
        {
            e.Property(x => x.Status).HasConversion<string>().HasMaxLength(20);
            e.Property(x => x.Note).HasMaxLength(500);
        });
        builder.Entity<Payment>(p =>
        {
            p.Property(x => x.Gateway).HasMaxLength(20);
            p.Property(x => x.IdempotencyKey).HasMaxLength(100);
            p.Property(x => x.Currency).HasMaxLength(3);
            p.Property(x => x.Status).HasConversion<string>().HasMaxLength(16);
            p.Property(x => x.GatewayReference).HasMaxLength(100);
            p.Property(x => x.CardBrand).HasMaxLength(20);
            p.Property(x => x.CardLast4).HasMaxLength(4);
            p.Property(x => x.Message).HasMaxLength(300);
            p.Property(x => x.RequestKey).HasMaxLength(64);
            p.HasOne<Order>().WithMany().HasForeignKey(x => x.OrderId);
            p.HasIndex(x => x.IdempotencyKey).IsUnique();
            // At most one successful payment per order: a doubled request can't charge twice.
            p.HasIndex(x => x.OrderId).HasFilter("\"Status\" = 'Succeeded'").IsUnique().HasDatabaseName("IX_Payments_OneSuccessPerOrder");
        });
        builder.Entity<Invoice>(i =>
        {
            i.Property(x => x.Kind).HasConversion<string>().HasMaxLength(16);
            i.Property(x => x.Status).HasConversion<string>().HasMaxLength(8);
            i.Property(x => x.Number).HasMaxLength(40);
            i.Property(x => x.BillingName).HasMaxLength(200);
            i.Property(x => x.BillingAddress).HasMaxLength(800);
            i.Property(x => x.Country).HasMaxLength(2);
            i.Property(x => x.Currency).HasMaxLength(3);
            i.Property(x => x.TaxNote).HasMaxLength(300);
            i.Property(x => x.Reason).HasMaxLength(500);
            i.Property(x => x.SellerLegalName).HasMaxLength(200);
            i.Property(x => x.SellerLegalAddress).HasMaxLength(500);
            i.Property(x => x.SellerTaxRegistration).HasMaxLength(60);
            i.Property(x => x.Lines).HasJsonConversion();
            i.HasOne<Organization>().WithMany().HasForeignKey(x => x.OrganizationId);
            i.HasOne<Order>().WithMany().HasForeignKey(x => x.OrderId).OnDelete(DeleteBehavior.Restrict);
            i.HasOne<Invoice>().WithMany().HasForeignKey(x => x.CorrectsInvoiceId).OnDelete(DeleteBehavior.Restrict);
            i.HasIndex(x => x.Number).IsUnique();
            i.HasIndex(x => new { x.OperatorId, x.Kind, x.Sequence }).IsUnique();
            // One invoice per order, whatever retries or reconciliation do.
            i.HasIndex(x => x.OrderId).HasFilter("\"Kind\" = 'Invoice'").IsUnique().HasDatabaseName("IX_Invoices_OnePerOrder");
            i.HasIndex(x => new { x.OrganizationId, x.IssuedOn });
        });
        builder.Entity<SandboxCharge>(c =>
        {
            c.HasKey(x => x.IdempotencyKey);
            c.Property(x => x.IdempotencyKey).HasMaxLength(100);
            c.Property(x => x.Outcome).HasConversion<string>().HasMaxLength(16);
            c.Property(x => x.Reference).HasMaxLength(100);
            c.Property(x => x.Currency).HasMaxLength(3);
            c.Property(x => x.Brand).HasMaxLength(20);
            c.Property(x => x.Last4).HasMaxLength(4);
        });
    }

    private static void ConfigureMoney(ModelBuilder builder)
    {
        builder.Entity<Organization>(o =>
        {
            o.Property(x => x.StatusReason).HasMaxLength(500);
            o.ToTable(t => t.HasCheckConstraint("CK_Organizations_PaymentTerms", "\"PaymentTermsDays\" >= 0 AND \"PaymentTermsDays\" <= 365"));
        });
        builder.Entity<Payment>(p =>
        {
            p.Property(x => x.Source).HasConversion<string>().HasMaxLength(16);
            p.Property(x => x.InvoiceIds).HasJsonConversion();
        });
        builder.Entity<Invoice>(i =>
        {
            i.Property(x => x.Revision).IsConcurrencyToken();
            i.HasMany(x => x.Events).WithOne().HasForeignKey(x => x.InvoiceId);
            // Dunning chases open invoices by due date; paid ones (every prepaid renewal) stay out of the index.
            i.HasIndex(x => x.DueOn).HasFilter("\"Status\" = 'Open'").HasDatabaseName("IX_Invoices_Open_DueOn");
        });
        builder.Entity<InvoiceEvent>(e =>
        {
            e.Property(x => x.Step).HasMaxLength(64);
            e.Property(x => x.Note).HasMaxLength(500);
            e.HasIndex(x => new { x.InvoiceId, x.Step }).IsUnique();
        });
        builder.Entity<CardOnFile>(c =>
        {
            c.Property(x => x.Gateway).HasMaxLength(20);
            c.Property(x => x.Token).HasMaxLength(200);
            c.Property(x => x.Brand).HasMaxLength(20);
            c.Property(x => x.Last4).HasMaxLength(4);
            c.HasOne<Organization>().WithMany().HasForeignKey(x => x.OrganizationId);
            c.HasIndex(x => x.OrganizationId).IsUnique();
        });
        builder.Entity<GatewayEvent>(e =>
        {
            e.HasKey(x => new { x.Gateway, x.EventId });
            e.Property(x => x.Gateway).HasMaxLength(20);
            e.Property(x => x.EventId).HasMaxLength(100);
            e.Property(x => x.Type).HasMaxLength(100);
        });

        builder.Entity<Wallet>(w =>
        {
            w.HasKey(x => x.OrganizationId);
            w.Property(x => x.Currency).HasMaxLength(3);
            w.Property(x => x.LastSequence).IsConcurrencyToken();
            w.HasOne<Organization>().WithOne().HasForeignKey<Wallet>(x => x.OrganizationId);
            w.ToTable(t => t.HasCheckConstraint("CK_Wallets_NotNegative", "\"Balance\" >= 0"));
        });
        builder.Entity<WalletEntry>(e =>
        {
            e.Property(x => x.Kind).HasConversion<string>().HasMaxLength(16);
            e.Property(x => x.Currency).HasMaxLength(3);
            e.Property(x => x.Description).HasMaxLength(300);
            e.Property(x => x.UniqueKey).HasMaxLength(120);
            e.Property(x => x.Reason).HasMaxLength(500);
            e.Ignore(x => x.IsCredit);
            e.HasOne<Wallet>().WithMany().HasForeignKey(x => x.OrganizationId);
            e.HasIndex(x => new { x.OrganizationId, x.Sequence }).IsUnique();
            e.HasIndex(x => new { x.OrganizationId, x.UniqueKey }).IsUnique().HasFilter("\"UniqueKey\" IS NOT NULL");
        });

        builder.Entity<Meter>(m =>
        {
            m.Property(x => x.Code).HasMaxLength(40);
            m.Property(x => x.Name).HasMaxLength(100);
            m.Property(x => x.UnitName).HasMaxLength(40);
            m.HasIndex(x => new { x.OperatorId, x.Code }).IsUnique();
        });
        builder.Entity<UnitBalance>(b =>
        {
            b.HasKey(x => new { x.OrganizationId, x.Meter });
            b.Property(x => x.Meter).HasMaxLength(40);
            b.Property(x => x.LastSequence).IsConcurrencyToken();
            b.HasOne<Organization>().WithMany().HasForeignKey(x => x.OrganizationId);
            b.ToTable(t => t.HasCheckConstraint("CK_UnitBalances_NotNegative", "\"Balance\" >= 0"));
        });
        builder.Entity<UnitEntry>(e =>
        {
            e.Property(x => x.Meter).HasMaxLength(40);
            e.Property(x => x.Kind).HasConversion<string>().HasMaxLength(16);
            e.Property(x => x.Description).HasMaxLength(300);
            e.Property(x => x.UniqueKey).HasMaxLength(120);
            e.HasOne<UnitBalance>().WithMany().HasForeignKey(x => new { x.OrganizationId, x.Meter });
            e.HasIndex(x => new { x.OrganizationId, x.Meter, x.Sequence }).IsUnique();
            e.HasIndex(x => new { x.OrganizationId, x.UniqueKey }).IsUnique().HasFilter("\"UniqueKey\" IS NOT NULL");
        });
        builder.Entity<UsageEvent>(e =>
        {
            e.HasKey(x => new { x.OrganizationId, x.EventId });
            e.Property(x => x.EventId).HasMaxLength(100);
            e.Property(x => x.Meter).HasMaxLength(40);
            e.Property(x => x.Reference).HasMaxLength(200);
            e.HasIndex(x => new { x.OrganizationId, x.Meter, x.OccurredAt });
        });
        builder.Entity<UsageTotal>(t =>
        {
            t.HasKey(x => new { x.OrganizationId, x.Meter, x.Hour });
            t.Property(x => x.Meter).HasMaxLength(40);
        });

        builder.Entity<VoucherBatch>(b =>
        {
            b.Property(x => x.Name).HasMaxLength(200);
            b.Property(x => x.Kind).HasConversion<string>().HasMaxLength(8);
            b.Property(x => x.Currency).HasMaxLength(3);
            b.Property(x => x.PriceCurrency).HasMaxLength(3);
            b.Property(x => x.Meter).HasMaxLength(40);
            b.HasOne<Operator>().WithMany().HasForeignKey(x => x.OperatorId).OnDelete(DeleteBehavior.Restrict);
        });
        builder.Entity<Voucher>(v =>
        {
            v.Property(x => x.Code).HasMaxLength(40);
            v.Property(x => x.Status).HasConversion<string>().HasMaxLength(12);
            v.Property(x => x.RedeemedBy).HasMaxLength(200);
            v.HasOne<VoucherBatch>().WithMany().HasForeignKey(x => x.BatchId);
            v.HasIndex(x => x.Code).IsUnique();
            v.HasIndex(x => new { x.BatchId, x.Status });
            v.HasIndex(x => x.SoldToOrganizationId);
        });
        builder.Entity<VoucherAttempt>(a =>
        {
            a.Property(x => x.Ip).HasMaxLength(64);
            a.HasIndex(x => new { x.OrganizationId, x.At });
            a.HasIndex(x => new { x.Ip, x.At });
        });

        builder.Entity<Infrastructure.Security.SignInAttempt>(a =>
        {
            a.Property(x => x.Account).HasMaxLength(254);
            a.Property(x => x.Source).HasMaxLength(64);
            a.HasIndex(x => new { x.Account, x.Source, x.At });
            a.HasIndex(x => x.At);
        });

        builder.Entity<Infrastructure.Security.UserSession>(s =>
        {
            s.HasOne<User>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
            s.HasIndex(x => x.UserId);
            s.HasIndex(x => x.LastSeenAt);
        });

        builder.Entity<IdempotencyRecord>(r =>
        {
            r.HasKey(x => new { x.Scope, x.Key });
            r.Property(x => x.Scope).HasMaxLength(80);
            r.Property(x => x.Key).HasMaxLength(200);
            r.Property(x => x.RequestHash).HasMaxLength(64);
            r.Property(x => x.ContentType).HasMaxLength(100);
            r.Property(x => x.Location).HasMaxLength(500);
            r.HasIndex(x => x.CreatedAt);
        });
    }

    private static void ConfigureSupport(ModelBuilder builder)
    {
        builder.Entity<SupportTeam>(t =>
        {
            t.Property(x => x.Name).HasMaxLength(100);
            t.Property(x => x.Email).HasMaxLength(254);
            t.HasIndex(x => x.Name).IsUnique();
            t.HasMany(x => x.Members).WithOne().HasForeignKey(x => x.TeamId);
        });
        builder.Entity<SupportTeamMember>(m =>
        {
            m.HasKey(x => new { x.TeamId, x.UserId });
            m.HasOne<User>().WithMany().HasForeignKey(x => x.UserId);
        });
        builder.Entity<TicketType>(t =>
        {
            t.Property(x => x.Name).HasMaxLength(100);
            t.Property(x => x.Description).HasMaxLength(500);
            t.Property(x => x.DefaultPriority).HasConversion<string>().HasMaxLength(12);
            t.HasOne<SupportTeam>().WithMany().HasForeignKey(x => x.TeamId).OnDelete(DeleteBehavior.Restrict);
            t.HasIndex(x => x.Name).IsUnique();
        });
        builder.Entity<Ticket>(t =>
        {
            t.Property(x => x.Subject).HasMaxLength(Ticket.SubjectMaxLength);
            t.Property(x => x.Status).HasConversion<string>().HasMaxLength(20);
            t.Property(x => x.Priority).HasConversion<string>().HasMaxLength(12);
            t.Property(x => x.RaisedByName).HasMaxLength(200);
            t.Property(x => x.AssigneeName).HasMaxLength(200);
            t.HasOne<Organization>().WithMany().HasForeignKey(x => x.OrganizationId);
            t.HasOne<TicketType>().WithMany().HasForeignKey(x => x.TypeId).OnDelete(DeleteBehavior.Restrict);
            t.HasOne<SupportTeam>().WithMany().HasForeignKey(x => x.TeamId).OnDelete(DeleteBehavior.Restrict);
            t.HasOne<Subscription>().WithMany().HasForeignKey(x => x.SubscriptionId).OnDelete(DeleteBehavior.Restrict);
            t.HasMany(x => x.Messages).WithOne().HasForeignKey(x => x.TicketId);
            t.HasIndex(x => x.Number).IsUnique();
            t.HasIndex(x => new { x.OrganizationId, x.Status });
            t.HasIndex(x => new { x.Status, x.LastCustomerMessageAt });
            t.HasIndex(x => x.AssigneeUserId);
        });
        builder.Entity<TicketMessage>(m =>
        {
            m.Property(x => x.AuthorName).HasMaxLength(200);
            m.Property(x => x.Body).HasMaxLength(Ticket.BodyMaxLength);
            m.HasMany(x => x.Attachments).WithOne().HasForeignKey(x => x.MessageId);
            m.HasIndex(x => new { x.TicketId, x.At });
        });
        builder.Entity<TicketAttachment>(a =>
        {
            a.Property(x => x.FileName).HasMaxLength(200);
            a.Property(x => x.ContentType).HasMaxLength(100);
            a.HasOne<Ticket>().WithMany().HasForeignKey(x => x.TicketId).OnDelete(DeleteBehavior.NoAction);
        });

        builder.Entity<FaqCategory>(c =>
        {
            c.Property(x => x.Name).HasMaxLength(100);
            c.Property(x => x.Slug).HasMaxLength(100);
            c.HasIndex(x => x.Slug).IsUnique();
        });
        builder.Entity<FaqArticle>(a =>
        {
            a.Property(x => x.Title).HasMaxLength(200);
            a.Property(x => x.Slug).HasMaxLength(100);
            a.Property(x => x.Body).HasMaxLength(FaqArticle.BodyMaxLength);
            a.Property(x => x.Status).HasConversion<string>().HasMaxLength(12);
            a.HasOne<FaqCategory>().WithMany().HasForeignKey(x => x.CategoryId).OnDelete(DeleteBehavior.Restrict);
            a.HasIndex(x => x.Slug).IsUnique();
            a.HasIndex(x => new { x.Status, x.CategoryId });
        });

        builder.Entity<RemoteSupportSession>(r =>
        {
            r.Property(x => x.MemberName).HasMaxLength(200);
            r.Property(x => x.StaffName).HasMaxLength(200);
            r.Property(x => x.Reason).HasMaxLength(500);
            r.Property(x => x.EndReason).HasMaxLength(200);
            r.HasOne<Organization>().WithMany().HasForeignKey(x => x.OrganizationId);
            r.HasOne<Member>().WithMany().HasForeignKey(x => x.MemberId).OnDelete(DeleteBehavior.Restrict);
            r.HasIndex(x => new { x.OrganizationId, x.StartedAt });
        });
    }

    private static void ConfigureAutomation(ModelBuilder builder)
    {
        builder.Entity<Invoice>(i =>
        {
            i.HasOne<Subscription>().WithMany().HasForeignKey(x => x.SubscriptionId).OnDelete(DeleteBehavior.Restrict);
            // One invoice per subscription and period, whatever crashes or parallel billing runs do.
            i.HasIndex(x => new { x.SubscriptionId, x.PeriodStart }).HasFilter("\"SubscriptionId\" IS NOT NULL").IsUnique()
                .HasDatabaseName("IX_Invoices_OnePerRenewal");
        });
        // The billing run walks an organization's ended terms in (term end, id) order.
        builder.Entity<Subscription>(s =>
        {
            s.HasIndex(x => new { x.OrganizationId, x.TermEnd, x.Id });
            // The billing run that last failed to renew it (past due): runs going on at the same time leave it alone.
            s.Property<Guid?>(BillingRun.UnpaidRunColumn);
        });
        // Renewal invoices have no order and correct nothing: partial indexes leave them out, which
        // spares the billing run two index writes per invoice.
        builder.Entity<Invoice>(i =>
        {
            i.HasIndex(x => x.OrderId).HasFilter("\"Kind\" = 'Invoice' AND \"OrderId\" IS NOT NULL").IsUnique().HasDatabaseName("IX_Invoices_OnePerOrder");
            i.HasIndex(x => x.CorrectsInvoiceId).HasFilter("\"CorrectsInvoiceId\" IS NOT NULL");
        });
        builder.Entity<Infrastructure.Jobs.JobLease>(l =>
        {
            l.HasKey(x => x.Name);
            l.Property(x => x.Name).HasMaxLength(100);
            l.Property(x => x.Holder).HasMaxLength(200);
        });
        builder.Entity<BillingRun>(r =>
        {
            r.Property(x => x.Trigger).HasMaxLength(16);
            r.Property(x => x.Host).HasMaxLength(200);
            r.HasIndex(x => x.StartedAt);
        });
        builder.Entity<RenewalFailureNotice>(n =>
        {
            n.HasKey(x => new { x.OrganizationId, x.RunDate });
            n.HasOne<Organization>().WithMany().HasForeignKey(x => x.OrganizationId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<RenewalReminder>(r =>
        {
            r.HasKey(x => new { x.SubscriptionId, x.TermEnd, x.DaysBefore });
            r.HasOne<Subscription>().WithMany().HasForeignKey(x => x.SubscriptionId).OnDelete(DeleteBehavior.Cascade);
            r.HasIndex(x => x.OrganizationId);
        });
    }

    private void ConfigureWebhooks(ModelBuilder builder)
    {
        builder.Entity<WebhookEndpoint>(e =>
        {
            e.Property(x => x.Url).HasMaxLength(WebhookEndpoint.UrlMaxLength);
            e.Property(x => x.Secret).HasMaxLength(100);
            e.Property(x => x.Description).HasMaxLength(WebhookEndpoint.DescriptionMaxLength);
            e.Property(x => x.EventTypes).HasJsonConversion();
            e.Ignore(x => x.IsOperatorEndpoint);
            e.HasOne<Operator>().WithMany().HasForeignKey(x => x.OperatorId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<Organization>().WithMany().HasForeignKey(x => x.OrganizationId);
            e.HasIndex(x => new { x.OrganizationId, x.Enabled });
            // Operator endpoints (no organization) are invisible to members and partner staff.
            e.HasQueryFilter(x => (TenantOrganizationId == null || x.OrganizationId == TenantOrganizationId)
                && (TenantPartnerId == null || (x.OrganizationId != null && Organizations.Any(o => o.Id == x.OrganizationId && o.PartnerId == TenantPartnerId))));
        });
        builder.Entity<WebhookDelivery>(d =>
        {
            d.Property(x => x.EventType).HasMaxLength(64);
            d.Property(x => x.Status).HasConversion<string>().HasMaxLength(16);
            d.Property(x => x.LastError).HasMaxLength(500);
            d.HasOne<WebhookEndpoint>().WithMany().HasForeignKey(x => x.EndpointId).OnDelete(DeleteBehavior.Cascade);
            d.HasIndex(x => new { x.Status, x.NextAttemptAt });
            d.HasIndex(x => new { x.EndpointId, x.CreatedAt });
            d.HasIndex(x => new { x.EndpointId, x.EventId }).IsUnique();
            d.HasQueryFilter(x => (TenantOrganizationId == null || (!x.ToOperator && x.OrganizationId == TenantOrganizationId))
                && (TenantPartnerId == null || (!x.ToOperator && Organizations.Any(o => o.Id == x.OrganizationId && o.PartnerId == TenantPartnerId))));
        });
        builder.Entity<WebhookAttempt>(a =>
        {
            a.Property(x => x.Error).HasMaxLength(500);
            a.HasOne<WebhookDelivery>().WithMany().HasForeignKey(x => x.DeliveryId).OnDelete(DeleteBehavior.Cascade);
            a.HasIndex(x => new { x.DeliveryId, x.At });
            a.HasQueryFilter(x => (TenantOrganizationId == null || (!x.ToOperator && x.OrganizationId == TenantOrganizationId))
                && (TenantPartnerId == null || (!x.ToOperator && Organizations.Any(o => o.Id == x.OrganizationId && o.PartnerId == TenantPartnerId))));
        });
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
