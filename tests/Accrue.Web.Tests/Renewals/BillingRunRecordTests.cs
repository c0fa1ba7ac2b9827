using System.Diagnostics;
using System.Net.Http.Json;
using Accrue.Domain.Accounts;
using Accrue.Web.Data;
using Accrue.Web.Features.Renewals;
using Accrue.Web.Infrastructure.Web;
using Accrue.Web.Tests.Api;
using Accrue.Web.Tests.Infrastructure;
using Accrue.Web.Tests.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using static Accrue.Web.Tests.Renewals.RenewalSteps;

namespace Accrue.Web.Tests.Renewals;

/// <summary>
/// Issue 15 A6: a billing run's record tells what it did even when it did not finish. Counts are committed
/// batch by batch; a run stopped mid-way is marked abandoned (by itself when it can, else by the next run:
/// at once for a process of this machine that is gone, after the lease for any other) with those counts.
/// Each test bills a day years before anything else in its database, so only its own subscriptions are due.
/// </summary>
public abstract class BillingRunRecordTests(AccrueApp app)
{
    [Fact]
    public async Task A_run_cancelled_mid_way_records_itself_abandoned_with_the_counts_it_committed()
    {
        var day = new DateOnly(2020, 2, 10);
        var customer = await app.NewCustomerAsync(BillingMode.Prepaid, wallet: 1_000m);
        for (var i = 0; i < 6; i++) await app.SubscribeAsync(customer, TvMax, day);

        var stopped = await StopAfterFirstBatchAsync(day);

        Assert.Equal(BillingRunStatus.Abandoned, stopped.Status);
        Assert.Null(stopped.FinishedAt);
        // Counted by hand: one batch of 2 renewed, each with its invoice.
        Assert.Equal(2, await RenewedAsync(customer, day));
        Assert.Equal((2, 2, 0, 0, 0), (stopped.Renewed, stopped.Invoiced, stopped.Failed, stopped.Expired, stopped.Skipped));

        var next = await app.BillAsync(day);
        Assert.Equal((BillingRunStatus.Finished, 4, 4), (next.Status, next.Renewed, next.Invoiced));
        Assert.Equal(6, await RenewedAsync(customer, day));
        Assert.Equal(2, (await RunAsync(stopped.Id)).Renewed);
        await EndSubscriptionsAsync(customer);
    }

    [Fact]
    public async Task A_killed_run_left_running_is_marked_abandoned_by_the_next_run_with_the_counts_it_committed()
    {
        var day = new DateOnly(2020, 5, 10);
        var customer = await app.NewCustomerAsync(BillingMode.Prepaid, wallet: 1_000m);
        for (var i = 0; i < 5; i++) await app.SubscribeAsync(customer, TvMax, day);
        var stopped = await StopAfterFirstBatchAsync(day);

        // The state a kill -9 leaves: the record still open, its process gone (a process of this machine that has exited).
        using (var gone = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!)
        {
            await gone.WaitForExitAsync();
            var host = $"{Environment.MachineName}:{gone.Id}";
            await app.DbAsync(db => db.BillingRuns.Where(r => r.Id == stopped.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.AbandonedAt, (DateTimeOffset?)null).SetProperty(r => r.Host, host)));
        }
        var api = await app.OperatorApiAsync();
        Assert.Equal("Running", (await ApiRunAsync(api, stopped.Id)).GetProperty("status").GetString());

        var next = await app.BillAsync(day);

        var old = await RunAsync(stopped.Id);
        Assert.Equal(BillingRunStatus.Abandoned, old.Status);
        Assert.NotNull(old.AbandonedAt);
        Assert.Equal((2, 2), (old.Renewed, old.Invoiced));
        Assert.Equal((3, 3), (next.Renewed, next.Invoiced));
        Assert.Equal(5, await RenewedAsync(customer, day));
        var listed = await ApiRunAsync(api, stopped.Id);
        Assert.Equal(("Abandoned", 2), (listed.GetProperty("status").GetString(), listed.GetProperty("renewed").GetInt32()));

        // The console's billing-runs page says so.
        var staff = await app.SignedInAsync(Console.ConsoleSteps.Operator);
        var page = await staff.GetPageAsync("/console/billing-runs");
        var row = page.QuerySelector($"tr[data-run-id='{stopped.Id}']")!;
        Assert.Contains("abandoned", row.QuerySelector(".run-status")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("finished in", page.QuerySelector($"tr[data-run-id='{next.Id}'] .run-status")!.TextContent, StringComparison.Ordinal);
        await EndSubscriptionsAsync(customer);
    }

    [Fact]
    public async Task A_run_of_another_host_is_abandoned_only_once_its_heartbeat_is_older_than_the_lease()
    {
        var now = DateTimeOffset.UtcNow;
        BillingRun Open(TimeSpan silentFor) => new()
        {
            AsOf = new DateOnly(2020, 8, 1), Trigger = BillingTriggers.Schedule, Host = "another-instance:4242",
            StartedAt = now - silentFor - TimeSpan.FromMinutes(1), HeartbeatAt = now - silentFor, Renewed = 7, Invoiced = 9, Failed = 1,
        };
        var (quiet, silent) = (Open(TimeSpan.FromMinutes(4)), Open(TimeSpan.FromMinutes(11)));
        await app.DbAsync(db =>
        {
            db.BillingRuns.AddRange(quiet, silent);
            return db.SaveChangesAsync();
        });

        await app.BillAsync(new DateOnly(2020, 8, 1));

        // Within the 10-minute lease the other instance may still be working: left running.
        Assert.Equal(BillingRunStatus.Running, (await RunAsync(quiet.Id)).Status);
        var abandoned = await RunAsync(silent.Id);
        Assert.Equal((BillingRunStatus.Abandoned, 7, 9, 1), (abandoned.Status, abandoned.Renewed, abandoned.Invoiced, abandoned.Failed));
        await app.DbAsync(db => db.BillingRuns.Where(r => r.Id == quiet.Id).ExecuteUpdateAsync(s => s.SetProperty(r => r.FinishedAt, now)));
    }

    [Fact]
    public async Task Two_runs_at_once_count_each_unpaid_renewal_once_and_send_one_notice_per_recipient()
    {
        var day = new DateOnly(2020, 11, 10);
        // Already past due (an earlier run failed it): both runs may try it, only one does.
        var stillShort = await app.NewCustomerAsync(BillingMode.Prepaid, wallet: 10m);
        for (var i = 0; i < 3; i++) await app.SubscribeAsync(stillShort, TvMax, day);
        var earlier = await app.BillAsync(day);
        Assert.Equal(3, earlier.Failed);
        // Falls past due now, in 3 batches of 2: its Owner and its Admin get one email each.
        var shortOfFunds = await app.NewCustomerAsync(BillingMode.Prepaid, wallet: 10m);
        var admin = $"{Http.Unique("admin")}@renewals.test";
        var api = await app.OperatorApiAsync();
        var added = await api.PostAsJsonAsync($"/api/v1/organizations/{shortOfFunds.Id}/members", new
        {
            name = "Ada Admin", email = admin, role = "Admin", portalAccess = false, permissionSetId = Domain.Accounts.PermissionSet.AdministratorId,
        });
        Assert.True(added.IsSuccessStatusCode, await added.Content.ReadAsStringAsync());
        for (var i = 0; i < 5; i++) await app.SubscribeAsync(shortOfFunds, TvMax, day);
        var paying = await app.NewCustomerAsync(BillingMode.Prepaid, wallet: 1_000m);
        for (var i = 0; i < 4; i++) await app.SubscribeAsync(paying, TvMax, day);

        // Each run waits after its first batch until the other has committed one too, so the two really overlap.
        var bothStarted = new BothRunsStarted();
        var runs = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(() => app.RunAsync(services =>
            ActivatorUtilities.CreateInstance<BillingRunner>(services, Options.Create(new BillingOptions { BatchSize = 2 }), (FaultPoints)bothStarted)
                .RunAsync(day, BillingTriggers.Api)))));

        // Each run counted what it did itself: together every renewal and every failure once.
        Assert.Equal((4, 4, 3 + 5), (runs.Sum(r => r.Renewed), runs.Sum(r => r.Invoiced), runs.Sum(r => r.Failed)));
        foreach (var run in runs)
        {
            var stored = await RunAsync(run.Id);
            Assert.Equal((BillingRunStatus.Finished, run.Renewed, run.Invoiced, run.Failed), (stored.Status, stored.Renewed, stored.Invoiced, stored.Failed));
        }
        Assert.Equal(5, await app.DbAsync(db => db.Subscriptions.IgnoreQueryFilters()
            .CountAsync(s => s.OrganizationId == shortOfFunds.Id && s.Status == Domain.Subscriptions.SubscriptionStatus.PastDue)));
        Assert.Equal(4, await RenewedAsync(paying, day));
        Assert.Equal(1, await app.DbAsync(db => db.RenewalFailureNotices.IgnoreQueryFilters().CountAsync(n => n.OrganizationId == shortOfFunds.Id && n.RunDate == day)));

        // One email per recipient, through real SMTP: every message to them has gone out before counting.
        var recipients = new[] { shortOfFunds.OwnerEmail, admin };
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (await app.DbAsync(db => db.Outbox.CountAsync(m => recipients.Contains(m.To) && m.Status == Data.OutboxStatus.Pending)) > 0 && DateTime.UtcNow < until)
            await Task.Delay(200);
        foreach (var to in recipients)
        {
            await MailDev.WaitForAsync(to, "could not be paid", TimeSpan.FromSeconds(60));
            var notices = (await MailDev.ToAsync(to)).Where(m => m.Subject.Contains("could not be paid", StringComparison.Ordinal)).ToList();
            Assert.Single(notices);
        }
        Assert.Empty((await MailDev.ToAsync(stillShort.OwnerEmail)).Where(m => m.Subject.Contains("could not be paid", StringComparison.Ordinal)).Skip(1));
        foreach (var customer in new[] { stillShort, shortOfFunds, paying }) await EndSubscriptionsAsync(customer);
    }

    /// <summary>A run in batches of 2 that is cancelled as soon as its first batch has committed.</summary>
    private async Task<BillingRun> StopAfterFirstBatchAsync(DateOnly day)
    {
        using var stop = new CancellationTokenSource();
        var before = await app.DbAsync(db => db.BillingRuns.Select(r => r.Id).ToListAsync());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => app.RunAsync(services =>
            ActivatorUtilities.CreateInstance<BillingRunner>(services, Options.Create(new BillingOptions { BatchSize = 2 }))
                .RunAsync(day, BillingTriggers.Console, new CancelOnProgress(stop), stop.Token)));
        return await app.DbAsync(db => db.BillingRuns.AsNoTracking().SingleAsync(r => !before.Contains(r.Id)));
    }

    private sealed class CancelOnProgress(CancellationTokenSource stop) : IProgress<BillingProgress>
    {
        public void Report(BillingProgress value)
        {
            if (value.Done > 0) stop.Cancel();
        }
    }

    private Task<BillingRun> RunAsync(Guid id) => app.DbAsync(db => db.BillingRuns.AsNoTracking().SingleAsync(r => r.Id == id));

    private static async Task<System.Text.Json.JsonElement> ApiRunAsync(HttpClient api, Guid id)
    {
        var list = await (await api.GetAsync("/api/v1/billing-runs?limit=200")).JsonAsync();
        return list.GetProperty("items").EnumerateArray().Single(r => r.GetProperty("id").GetGuid() == id);
    }

    private Task<int> RenewedAsync(Customer customer, DateOnly day) =>
        app.DbAsync(db => db.Subscriptions.IgnoreQueryFilters().CountAsync(s => s.OrganizationId == customer.Id && s.TermEnd > day));

    /// <summary>Leaves nothing of this test due for the others (their days come later).</summary>
    private Task<int> EndSubscriptionsAsync(Customer customer) =>
        app.DbAsync(db => db.Subscriptions.IgnoreQueryFilters().Where(s => s.OrganizationId == customer.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.Status, Domain.Subscriptions.SubscriptionStatus.Cancelled)));

    /// <summary>Holds each run after its first committed batch until both runs have committed one.</summary>
    private sealed class BothRunsStarted : FaultPoints
    {
        private int _arrived;
        private readonly TaskCompletionSource _both = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override async ValueTask ReachedAsync(string point, CancellationToken ct)
        {
            if (point != BillingBatchCommitted || _both.Task.IsCompleted) return;
            if (Interlocked.Increment(ref _arrived) == 2) _both.TrySetResult();
            await _both.Task.WaitAsync(TimeSpan.FromSeconds(60), ct);
        }
    }
}

public sealed class BillingRunRecordTestsOnSqlite(SqliteApp app) : BillingRunRecordTests(app), IClassFixture<SqliteApp>;

public sealed class BillingRunRecordTestsOnPostgres(PostgresApp app) : BillingRunRecordTests(app), IClassFixture<PostgresApp>;
