using Accrue.Domain.Accounts;
using Accrue.Domain.Subscriptions;
using Accrue.Web.Features.Renewals;
using Accrue.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static Accrue.Web.Tests.Renewals.RenewalSteps;

namespace Accrue.Web.Tests.Renewals;

/// <summary>The schedule inside the app bills what is due by each organization's today, without anyone asking.</summary>
public abstract class BillingScheduleTests(AccrueApp app)
{
    [Fact]
    public async Task The_app_renews_a_term_ending_today_by_itself()
    {
        var customer = await app.NewCustomerAsync(BillingMode.Postpaid);
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin")).DateTime);
        var id = await app.SubscribeAsync(customer, TvMax, today);

        var deadline = DateTime.UtcNow.AddSeconds(60);
        while ((await app.SubscriptionAsync(id)).TermEnd == today && DateTime.UtcNow < deadline) await Task.Delay(250);

        var subscription = await app.SubscriptionAsync(id);
        Assert.Equal((SubscriptionStatus.Active, today.AddMonths(1)), (subscription.Status, subscription.TermEnd));
        Assert.Single(await app.RenewalInvoicesAsync(id));
        Assert.True(await app.DbAsync(db => db.BillingRuns.AnyAsync(r => r.Trigger == BillingTriggers.Schedule && r.FinishedAt != null)));
    }
}

public sealed class ScheduledSqliteApp : SqliteApp
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Jobs:Schedule"] = "true", ["Billing:Interval"] = "00:00:01" };
}

public sealed class ScheduledPostgresApp : PostgresApp
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Jobs:Schedule"] = "true", ["Billing:Interval"] = "00:00:01" };
}

public sealed class BillingScheduleTestsOnSqlite(ScheduledSqliteApp app) : BillingScheduleTests(app), IClassFixture<ScheduledSqliteApp>;

public sealed class BillingScheduleTestsOnPostgres(ScheduledPostgresApp app) : BillingScheduleTests(app), IClassFixture<ScheduledPostgresApp>;
