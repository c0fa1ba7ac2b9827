using Accrue.Domain.Accounts;
using Accrue.Domain.Orders;
using Accrue.Domain.Subscriptions;
using Accrue.Domain.Wallets;
using Accrue.Web.Data;
using Accrue.Web.Features.Members;
using Accrue.Web.Features.Organizations;
using Accrue.Web.Features.Orders;
using Accrue.Web.Features.Subscriptions;
using Accrue.Web.Features.Wallet;
using Accrue.Web.Infrastructure.Email;
using Accrue.Web.Tests.Bills;
using Accrue.Web.Tests.Infrastructure;
using Accrue.Web.Tests.Orders;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Accrue.Web.Tests.Jobs;

/// <summary>A clocked app whose job schedules are off: the tests run each job directly after moving the clock.</summary>
public sealed class JobsSqliteApp : ClockedSqliteApp
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>();
}

public sealed class JobsPostgresApp : ClockedPostgresApp
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>();
}

/// <summary>Prepaid customers with an Owner, an account manager (Billing permission set) and a plain member.</summary>
public static class JobSteps
{
    public sealed record Customer(Guid OrganizationId, string OwnerEmail, string ManagerEmail, string MemberEmail);

    public static Task<Customer> NewPrepaidAsync(this AccrueApp app) =>
        app.AsSystemAsync(async services =>
        {
            var owner = $"{Http.Unique("jobs-owner")}@example.test";
            var created = await services.GetRequiredService<OrganizationCommands>().CreateAsync(new OrganizationInput
            {
                Name = Http.Unique("Prepaid Jobs Co"), BillingAddress = new Address { Line1 = "1 Teststraße", City = "Berlin" },
                Country = "DE", Currency = "EUR", TimeZone = BillSteps.Zone, BillingMode = BillingMode.Prepaid,
            }, new NewOwnerInput("Olga Owner", owner));
            Assert.True(created.Succeeded, created.Failure?.ToString());
            var organizationId = created.Value!.Id;
            var members = services.GetRequiredService<MemberCommands>();
            var manager = $"{Http.Unique("jobs-manager")}@example.test";
            var member = $"{Http.Unique("jobs-member")}@example.test";
            Assert.True((await members.AddAsync(organizationId, new MemberInput { Name = "Mia Manager", Email = manager, PortalAccess = true, Role = MemberRole.Member, PermissionSetId = PermissionSet.BillingId })).Succeeded);
            Assert.True((await members.AddAsync(organizationId, new MemberInput { Name = "Pete Plain", Email = member, PortalAccess = true, Role = MemberRole.Member, PermissionSetId = PermissionSet.StandardId })).Succeeded);
            var users = services.GetRequiredService<UserManager<User>>();
            var plain = await users.FindByEmailAsync(member);
            Assert.True((await users.AddPasswordAsync(plain!, People.Password)).Succeeded);
            return new Customer(organizationId, owner, manager, member);
        });

    /// <summary>Subscribes to TV Max for <paramref name="months"/> months (its minimum term is 12), paid by card; optionally not renewing.</summary>
    public static async Task<Subscription> SubscribeAsync(this AccrueApp app, Guid organizationId, int months = 12, bool autoRenew = true)
    {
        var order = await app.PlaceSubscriptionAsync(organizationId, months);
        var paid = await app.PayAsync(order.Id);
        Assert.Equal(OrderStatus.Succeeded, paid.Order.Status);
        return await app.AsSystemAsync(async services =>
        {
            var subscriptionId = paid.Order.SubscriptionId ?? (await services.GetRequiredService<AccrueDb>().Subscriptions.SingleAsync(s => s.OrganizationId == organizationId)).Id;
            if (!autoRenew)
                Assert.True((await services.GetRequiredService<SubscriptionCommands>().SetAutoRenewAsync(organizationId, subscriptionId, false)).Succeeded);
            return await services.GetRequiredService<AccrueDb>().Subscriptions.AsNoTracking().SingleAsync(s => s.Id == subscriptionId);
        });
    }

    /// <summary>An order for TV Max waiting for payment (Processing).</summary>
    public static Task<Order> PlaceSubscriptionAsync(this AccrueApp app, Guid organizationId, int months = 12) =>
        app.AsSystemAsync(async services =>
        {
            var plan = await services.GetRequiredService<AccrueDb>().Plans.SingleAsync(p => p.Code == "tv-max");
            var commands = services.GetRequiredService<SubscriptionCommands>();
            var prepared = await commands.PrepareSubscribeAsync(organizationId, new SubscribeRequest { PlanId = plan.Id, Months = months, Acknowledged = true });
            var placed = await commands.PlaceAsync(prepared, acknowledged: true);
            Assert.True(placed.Succeeded, placed.Failure?.ToString());
            Assert.Equal(OrderStatus.Processing, placed.Value!.Status);
            return placed.Value;
        });

    /// <summary>Waits until the outbox has sent every message to <paramref name="to"/>, failing with the last error otherwise.</summary>
    public static async Task SentAsync(this AccrueApp app, string to)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        List<OutboxMessage> rows;
        do
        {
            rows = await app.DbAsync(db => db.Outbox.IgnoreQueryFilters().AsNoTracking().Where(m => m.To == to).ToListAsync());
            if (rows.All(m => m.Status == OutboxStatus.Sent)) return;
            await Task.Delay(200);
        }
        while (DateTime.UtcNow < deadline);
        Assert.Fail(string.Join("; ", rows.Select(m => $"{m.Template} {m.Status} attempts {m.Attempts} next {m.NextAttemptAt:O} locked {m.LockedUntil:O} {m.LastError}")));
    }

    public static Task<T> RunAsync<T>(this AccrueApp app, Func<IServiceProvider, Task<T>> job) => app.AsSystemAsync(job);

    public static Task<WalletEntry> PostAsync(this AccrueApp app, Guid organizationId, WalletEntryKind kind, decimal amount) =>
        app.AsSystemAsync(async services =>
        {
            var posted = await services.GetRequiredService<WalletLedger>().PostAsync(new WalletPosting(organizationId, kind, amount, $"Test {kind}"));
            Assert.True(posted.Succeeded, posted.Failure?.ToString());
            return posted.Value!;
        });

    /// <summary>Outbox rows to <paramref name="to"/> of one template: what was committed for sending.</summary>
    public static Task<int> QueuedAsync(this AccrueApp app, string to, EmailTemplates.Template template) =>
        app.DbAsync(db => db.Outbox.IgnoreQueryFilters().CountAsync(m => m.To == to && m.Template == template.Key));
}
