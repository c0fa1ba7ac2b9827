using Accrue.Domain.Wallets;
using Accrue.Web.Features.Wallet;
using Accrue.Web.Infrastructure.Email;
using Accrue.Web.Tests.Bills;
using Accrue.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Accrue.Web.Tests.Jobs;

public abstract class WalletAlertTests(AccrueApp app, MovableClock clock)
{
    private Task<WalletAlertRun> AlertAsync() => app.RunAsync(s => s.GetRequiredService<WalletAlerts>().RunAsync(CancellationToken.None));

    private Task<Domain.Wallets.Wallet> WalletAsync(Guid organizationId) =>
        app.DbAsync(db => db.Wallets.IgnoreQueryFilters().AsNoTracking().SingleAsync(w => w.OrganizationId == organizationId));

    [Fact]
    public async Task A_low_balance_is_alerted_once_and_again_only_after_a_top_up_lifted_it()
    {
        var customer = await app.NewPrepaidAsync();
        await app.PostAsync(customer.OrganizationId, WalletEntryKind.TopUp, 100m);
        var set = await app.RunAsync(s => s.GetRequiredService<WalletCommands>().SetLowBalanceThresholdAsync(customer.OrganizationId, 50m));
        Assert.True(set.Succeeded, set.Failure?.ToString());

        await AlertAsync();
        Assert.False((await WalletAsync(customer.OrganizationId)).LowBalanceAlerted);

        await app.PostAsync(customer.OrganizationId, WalletEntryKind.Purchase, 60m);
        await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(AlertAsync)));
        await AlertAsync();
        Assert.True((await WalletAsync(customer.OrganizationId)).LowBalanceAlerted);
        Assert.Equal(1, await app.QueuedAsync(customer.OwnerEmail, EmailTemplates.WalletLow));
        Assert.Equal(1, await app.QueuedAsync(customer.ManagerEmail, EmailTemplates.WalletLow));
        Assert.Equal(0, await app.QueuedAsync(customer.MemberEmail, EmailTemplates.WalletLow));
        var email = await MailDev.WaitForAsync(customer.OwnerEmail, "Wallet balance is low");
        Assert.Contains(Domain.Billing.Money.Format(50m, "EUR"), email.Text, StringComparison.Ordinal);

        await app.PostAsync(customer.OrganizationId, WalletEntryKind.TopUp, 5m);
        Assert.True((await WalletAsync(customer.OrganizationId)).LowBalanceAlerted);
        await app.PostAsync(customer.OrganizationId, WalletEntryKind.TopUp, 20m);
        Assert.False((await WalletAsync(customer.OrganizationId)).LowBalanceAlerted);
        await AlertAsync();
        Assert.Equal(1, await app.QueuedAsync(customer.OwnerEmail, EmailTemplates.WalletLow));

        await app.PostAsync(customer.OrganizationId, WalletEntryKind.Purchase, 30m);
        await AlertAsync();
        Assert.Equal(2, await app.QueuedAsync(customer.OwnerEmail, EmailTemplates.WalletLow));
    }

    [Fact]
    public async Task A_negative_threshold_is_refused_and_nothing_changes()
    {
        var customer = await app.NewPrepaidAsync();
        var set = await app.RunAsync(s => s.GetRequiredService<WalletCommands>().SetLowBalanceThresholdAsync(customer.OrganizationId, -5m));
        Assert.Equal("LowBalanceThreshold", Assert.Single(set.Failure!.Errors!).Key);
        Assert.Equal(0, await app.DbAsync(db => db.Wallets.IgnoreQueryFilters().CountAsync(w => w.OrganizationId == customer.OrganizationId)));
    }

    [Fact]
    public async Task Renewals_due_within_7_days_that_the_wallet_cannot_cover_are_alerted_once_with_the_amount_needed()
    {
        var customer = await app.NewPrepaidAsync();
        var subscription = await app.SubscribeAsync(customer.OrganizationId);
        await app.PostAsync(customer.OrganizationId, WalletEntryKind.TopUp, 1m);

        clock.MoveTo(subscription.TermEnd.AddDays(-8), BillSteps.Zone);
        await AlertAsync();
        Assert.Equal(0, await app.QueuedAsync(customer.OwnerEmail, EmailTemplates.WalletShortfall));

        clock.MoveTo(subscription.TermEnd.AddDays(-6), BillSteps.Zone);
        await AlertAsync();
        await AlertAsync();
        Assert.Equal(1, await app.QueuedAsync(customer.OwnerEmail, EmailTemplates.WalletShortfall));
        Assert.Equal(1, await app.QueuedAsync(customer.ManagerEmail, EmailTemplates.WalletShortfall));
        await app.SentAsync(customer.OwnerEmail);
        var email = await MailDev.WaitForAsync(customer.OwnerEmail, "Top up");
        // The last day of the term, as every page shows it (the stored end is the day after).
        Assert.Contains($"until {subscription.TermEnd.AddDays(-1):yyyy-MM-dd}", email.Text, StringComparison.Ordinal);
        Assert.Contains($"holds {Domain.Billing.Money.Format(1m, "EUR")}", email.Text, StringComparison.Ordinal);

        clock.MoveTo(subscription.TermEnd.AddDays(-2), BillSteps.Zone);
        await AlertAsync();
        Assert.Equal(1, await app.QueuedAsync(customer.OwnerEmail, EmailTemplates.WalletShortfall));
    }
}

public sealed class WalletAlertTestsOnSqlite(JobsSqliteApp app) : WalletAlertTests(app, app.Clock), IClassFixture<JobsSqliteApp>;

public sealed class WalletAlertTestsOnPostgres(JobsPostgresApp app) : WalletAlertTests(app, app.Clock), IClassFixture<JobsPostgresApp>;
