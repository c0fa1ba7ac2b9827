using Accrue.Web.Data;
using Accrue.Web.Features.Renewals;
using Accrue.Web.Infrastructure.Email;
using Accrue.Web.Tests.Bills;
using Accrue.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Accrue.Web.Tests.Jobs;

public abstract class RenewalReminderTests(AccrueApp app, MovableClock clock)
{
    private Task<ReminderRun> RemindAsync() => app.RunAsync(s => s.GetRequiredService<RenewalReminders>().RunAsync(CancellationToken.None));

    private Task<List<RenewalReminder>> RowsAsync(Guid subscriptionId) =>
        app.DbAsync(db => db.RenewalReminders.IgnoreQueryFilters().AsNoTracking().Where(r => r.SubscriptionId == subscriptionId).OrderByDescending(r => r.DaysBefore).ToListAsync());

    [Fact]
    public async Task Reminders_go_30_15_and_7_days_before_the_term_ends_once_each_to_the_owner_and_account_managers()
    {
        var customer = await app.NewPrepaidAsync();
        var subscription = await app.SubscribeAsync(customer.OrganizationId);
        var end = subscription.TermEnd;
        // The stored end is exclusive: the days are counted to the last day, the date the email shows.
        var lastDay = end.AddDays(-1);

        clock.MoveTo(lastDay.AddDays(-31), BillSteps.Zone);
        await RemindAsync();
        Assert.Empty(await RowsAsync(subscription.Id));

        foreach (var days in new[] { 30, 15, 7 })
        {
            clock.MoveTo(lastDay.AddDays(-days), BillSteps.Zone);
            await RemindAsync();
            await RemindAsync();
            Assert.Equal(days, (await RowsAsync(subscription.Id)).Last().DaysBefore);
        }
        Assert.Equal([30, 15, 7], (await RowsAsync(subscription.Id)).Select(r => r.DaysBefore));
        Assert.All(await RowsAsync(subscription.Id), r => Assert.Equal(end, r.TermEnd));
        Assert.Equal(3, await app.QueuedAsync(customer.OwnerEmail, EmailTemplates.RenewalUpcoming));
        Assert.Equal(3, await app.QueuedAsync(customer.ManagerEmail, EmailTemplates.RenewalUpcoming));
        Assert.Equal(0, await app.DbAsync(db => db.Outbox.CountAsync(m => m.To == customer.MemberEmail && m.Template != "invitation")));

        await app.SentAsync(customer.OwnerEmail);
        var email = await MailDev.WaitForAsync(customer.OwnerEmail, $"renews after {lastDay:yyyy-MM-dd}");
        Assert.Contains("paid from the wallet", email.Text, StringComparison.Ordinal);
        Assert.Contains(" for ", email.Text, StringComparison.Ordinal);
        Assert.Contains(await app.DbAsync(db => db.Outbox.IgnoreQueryFilters().Where(m => m.To == customer.OwnerEmail && m.Template == EmailTemplates.RenewalUpcoming.Key)
            .Select(m => m.TextBody).ToListAsync()), b => b.Contains($"runs until {lastDay:yyyy-MM-dd} (in 30 days)", StringComparison.Ordinal));
        await MailDev.WaitForAsync(customer.ManagerEmail, $"renews after {lastDay:yyyy-MM-dd}");
        await Task.Delay(500);
        Assert.Equal(3, (await MailDev.ToAsync(customer.OwnerEmail)).Count(m => m.Subject.Contains("renews after", StringComparison.Ordinal)));
        Assert.DoesNotContain(await MailDev.ToAsync(customer.MemberEmail), m => m.Subject.Contains("renews", StringComparison.Ordinal));
    }

    [Fact]
    public async Task After_missed_days_only_the_nearest_threshold_is_sent()
    {
        var customer = await app.NewPrepaidAsync();
        var subscription = await app.SubscribeAsync(customer.OrganizationId);

        clock.MoveTo(subscription.TermEnd.AddDays(-10), BillSteps.Zone);
        await RemindAsync();
        Assert.Equal([15], (await RowsAsync(subscription.Id)).Select(r => r.DaysBefore));
        Assert.Equal(1, await app.QueuedAsync(customer.OwnerEmail, EmailTemplates.RenewalUpcoming));

        clock.MoveTo(subscription.TermEnd.AddDays(-3), BillSteps.Zone);
        await RemindAsync();
        Assert.Equal([15, 7], (await RowsAsync(subscription.Id)).Select(r => r.DaysBefore));
        Assert.Equal(2, await app.QueuedAsync(customer.OwnerEmail, EmailTemplates.RenewalUpcoming));
    }

    [Fact]
    public async Task A_subscription_that_does_not_renew_gets_an_expiry_reminder_and_every_member_sees_the_banner()
    {
        var customer = await app.NewPrepaidAsync();
        var subscription = await app.SubscribeAsync(customer.OrganizationId, autoRenew: false);

        var lastDay = subscription.TermEnd.AddDays(-1);
        clock.MoveTo(lastDay.AddDays(-31), BillSteps.Zone);
        var member = await app.SignedInAsync(customer.MemberEmail, People.Password);
        Assert.Null((await member.GetPageAsync("/portal")).QuerySelector("#expiry-banner"));

        clock.MoveTo(lastDay.AddDays(-12), BillSteps.Zone);
        member = await app.SignedInAsync(customer.MemberEmail, People.Password);
        await RemindAsync();
        Assert.Equal([15], (await RowsAsync(subscription.Id)).Select(r => r.DaysBefore));
        Assert.Equal(1, await app.QueuedAsync(customer.OwnerEmail, EmailTemplates.SubscriptionExpiring));
        Assert.Equal(0, await app.QueuedAsync(customer.OwnerEmail, EmailTemplates.RenewalUpcoming));
        await app.SentAsync(customer.ManagerEmail);
        var email = await MailDev.WaitForAsync(customer.ManagerEmail, $"runs until {lastDay:yyyy-MM-dd}");
        Assert.Contains($"runs until {lastDay:yyyy-MM-dd} (in 12 days)", email.Text, StringComparison.Ordinal);
        Assert.Contains($"/portal/subscriptions/{subscription.Id}/renew", email.Text, StringComparison.Ordinal);

        var banner = (await member.GetPageAsync("/portal")).QuerySelector("#expiry-banner");
        Assert.NotNull(banner);
        Assert.Contains($"runs until {lastDay:yyyy-MM-dd} (in 12 days)", banner.TextContent, StringComparison.Ordinal);
        Assert.NotNull(banner.QuerySelector($"a[href='/portal/subscriptions/{subscription.Id}/renew']"));
    }

    [Fact]
    public async Task An_auto_renewing_subscription_paid_for_by_the_wallet_shows_no_banner_while_the_wallet_covers_it()
    {
        var customer = await app.NewPrepaidAsync();
        var subscription = await app.SubscribeAsync(customer.OrganizationId);
        var renewal = await app.DbAsync(db => db.Orders.IgnoreQueryFilters().Where(o => o.OrganizationId == customer.OrganizationId).Select(o => o.Total).SingleAsync());
        await app.PostAsync(customer.OrganizationId, Domain.Wallets.WalletEntryKind.TopUp, renewal);

        clock.MoveTo(subscription.TermEnd.AddDays(-5), BillSteps.Zone);
        var member = await app.SignedInAsync(customer.MemberEmail, People.Password);
        Assert.Null((await member.GetPageAsync("/portal")).QuerySelector("#expiry-banner"));
        await app.PostAsync(customer.OrganizationId, Domain.Wallets.WalletEntryKind.Purchase, 1m);
        var banner = (await member.GetPageAsync("/portal")).QuerySelector("#expiry-banner");
        Assert.NotNull(banner);
        Assert.Contains("may not renew", banner.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_runs_at_once_send_each_reminder_once()
    {
        var customer = await app.NewPrepaidAsync();
        var subscription = await app.SubscribeAsync(customer.OrganizationId);
        clock.MoveTo(subscription.TermEnd.AddDays(-7), BillSteps.Zone);

        await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(RemindAsync)));

        Assert.Equal([7], (await RowsAsync(subscription.Id)).Select(r => r.DaysBefore));
        Assert.Equal(1, await app.QueuedAsync(customer.OwnerEmail, EmailTemplates.RenewalUpcoming));
        Assert.Equal(1, await app.QueuedAsync(customer.ManagerEmail, EmailTemplates.RenewalUpcoming));
    }
}

public sealed class RenewalReminderTestsOnSqlite(JobsSqliteApp app) : RenewalReminderTests(app, app.Clock), IClassFixture<JobsSqliteApp>;

public sealed class RenewalReminderTestsOnPostgres(JobsPostgresApp app) : RenewalReminderTests(app, app.Clock), IClassFixture<JobsPostgresApp>;
