using System.Diagnostics;
using System.Text.RegularExpressions;
using Accrue.Domain.Accounts;
using Accrue.Domain.Invoices;
using Accrue.Domain.Subscriptions;
using Accrue.Domain.Wallets;
using Accrue.Web.Data;
using Accrue.Web.Features.Renewals;
using Accrue.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static Accrue.Web.Tests.Renewals.RenewalSteps;

namespace Accrue.Web.Tests.Renewals;

/// <summary>
/// The <c>bill</c> command as real processes against one database: killed with SIGKILL halfway and
/// run again, and two at once. Afterwards every subscription is renewed exactly once, with one
/// invoice, one wallet debit when prepaid, and invoice numbers without gaps.
/// </summary>
public abstract partial class BillingProcessTests(AccrueApp app)
{
    private static readonly DateOnly Day = new(2027, 6, 15);
    private const int PerCustomer = 6_000;
    private const decimal Funds = 1_000_000m;

    [Fact]
    public async Task A_run_killed_halfway_and_run_again_bills_everything_exactly_once()
    {
        var (prepaid, postpaid) = await SeedAsync();

        var killed = Start();
        await WaitForProgressAsync(killed, atLeast: 30);
        killed.Kill(entireProcessTree: true);
        await killed.WaitForExitAsync();

        // The kill left whole batches: whatever was renewed has its invoice and, prepaid, its debit.
        var renewed = await RenewedAsync(prepaid, postpaid);
        Assert.InRange(renewed, 1, 2 * PerCustomer - 1);
        Assert.Equal(renewed, await InvoicesAsync(prepaid, postpaid));
        await AssertWalletAsync(prepaid);
        // Its record is still open (nothing ran to close it), with the counts of the batches it committed.
        var open = await app.DbAsync(db => db.BillingRuns.AsNoTracking().Where(r => r.FinishedAt == null && r.AbandonedAt == null).ToListAsync());
        var killedRun = Assert.Single(open);
        Assert.Equal((BillingTriggers.CommandLine, renewed, renewed), (killedRun.Trigger, killedRun.Renewed, killedRun.Invoiced));

        var rerun = Start();
        await rerun.WaitForExitAsync();
        Assert.True(rerun.ExitCode == 0, await rerun.StandardError.ReadToEndAsync());

        await AssertBilledOnceAsync(prepaid, postpaid);
        // The rerun found the killed run's process gone: abandoned, with what it achieved; the rerun counted only the rest.
        var runs = await app.DbAsync(db => db.BillingRuns.AsNoTracking().Where(r => r.StartedAt >= killedRun.StartedAt).OrderBy(r => r.StartedAt).ToListAsync());
        Assert.Equal(2, runs.Count);
        Assert.Equal((killedRun.Id, BillingRunStatus.Abandoned, renewed, renewed), (runs[0].Id, runs[0].Status, runs[0].Renewed, runs[0].Invoiced));
        Assert.Equal((BillingRunStatus.Finished, 2 * PerCustomer - renewed, 2 * PerCustomer - renewed), (runs[1].Status, runs[1].Renewed, runs[1].Invoiced));
    }

    [Fact]
    public async Task Two_runs_at_once_share_the_work_and_bill_everything_exactly_once()
    {
        var (prepaid, postpaid) = await SeedAsync();

        var runs = new[] { Start(), Start() };
        var outputs = await Task.WhenAll(runs.Select(r => r.StandardOutput.ReadToEndAsync()));
        foreach (var run in runs)
        {
            await run.WaitForExitAsync();
            Assert.True(run.ExitCode == 0, await run.StandardError.ReadToEndAsync());
        }

        await AssertBilledOnceAsync(prepaid, postpaid);
        // Each renewal was counted by the one run that made it.
        var renewedByRuns = outputs.Sum(o => int.Parse(RenewedLine().Match(o).Groups[1].Value.Replace(",", "", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(renewedByRuns == 2 * PerCustomer, string.Join("\n---\n", outputs));
    }

    [Fact]
    public async Task A_bad_date_is_refused_and_nothing_is_billed()
    {
        var before = await app.CountAsync<BillingRun>();
        var run = Start("2027-13-45");
        var error = await run.StandardError.ReadToEndAsync();
        await run.WaitForExitAsync();

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--as-of takes a date as yyyy-MM-dd", error, StringComparison.Ordinal);
        Assert.Equal(before, await app.CountAsync<BillingRun>());
    }

    /// <summary>Two customers with <see cref="PerCustomer"/> monthly TV Max subscriptions each, all ending on <see cref="Day"/>.</summary>
    private async Task<(Customer Prepaid, Customer Postpaid)> SeedAsync()
    {
        await app.BillAsync(Day);   // whatever else in this database is due is out of the way
        var prepaid = await app.NewCustomerAsync(BillingMode.Prepaid, Funds);
        var postpaid = await app.NewCustomerAsync(BillingMode.Postpaid);
        await app.DbAsync(async db =>
        {
            var plan = await db.Plans.SingleAsync(p => p.Code == TvMax);
            foreach (var customer in new[] { prepaid, postpaid })
                await InsertSubscriptionsAsync(db, customer.Id, plan.Id, plan.CurrentVersionId!.Value);
            return true;
        });
        return (prepaid, postpaid);
    }

    /// <summary>Thousands of rows in one statement, generated by the database.</summary>
    private static Task<int> InsertSubscriptionsAsync(AccrueDb db, Guid organizationId, Guid planId, Guid versionId)
    {
        var start = Day.AddMonths(-1);
        var sqlite = !db.Database.IsNpgsql();
        var id = sqlite
            ? "upper(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-a' || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))"
            : "gen_random_uuid()";
        const string Columns = "\"Id\", \"OrganizationId\", \"PlanId\", \"PlanVersionId\", \"Currency\", \"Status\", \"TermStart\", \"TermEnd\", \"CreatedAt\"";
        var rows = sqlite
            ? $"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {PerCustomer}), r({Columns}) AS (SELECT {id}, {{0}}, {{1}}, {{2}}, {{3}}, {{4}}, {{5}}, {{6}}, {{7}} FROM n)"
            : $"WITH r({Columns}) AS (SELECT {id}, {{0}}, {{1}}, {{2}}, {{3}}, {{4}}, {{5}}, {{6}}, {{7}} FROM generate_series(1, {PerCustomer}))";
        object created = sqlite ? DateTimeOffset.UtcNow.UtcTicks : DateTimeOffset.UtcNow;
        // The SQL is put together from constants; every value is a parameter.
#pragma warning disable EF1002
        return db.Database.ExecuteSqlRawAsync($"""
            {rows}
            INSERT INTO "Subscriptions" ({Columns}, "ActivatedOn", "AnchorDay", "AutoRenew", "CancelAtPeriodEnd", "Quantity", "Revision", "UpdatedAt")
            SELECT {Columns}, "TermStart", {Day.Day}, TRUE, FALSE, 1, 0, "CreatedAt" FROM r
            """, sqlite ? organizationId.ToString().ToUpperInvariant() : organizationId, sqlite ? planId.ToString().ToUpperInvariant() : planId,
            sqlite ? versionId.ToString().ToUpperInvariant() : versionId, "EUR", nameof(SubscriptionStatus.Active), start, Day, created);
#pragma warning restore EF1002
    }

    private Process Start(string asOf = "2027-06-15")
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            ArgumentList =
            {
                Path.Combine(AppContext.BaseDirectory, "Accrue.Web.dll"), "bill", "--as-of", asOf,
                $"--Database:Provider={app.Provider}", $"--ConnectionStrings:Accrue={app.ConnectionString}",
                "--Demo:Seed=false", "--Billing:BatchSize=250", "--Logging:LogLevel:Default=Warning",
            },
        };
        return Process.Start(start)!;
    }

    private static async Task WaitForProgressAsync(Process process, int atLeast)
    {
        while (await process.StandardOutput.ReadLineAsync() is { } line)
            if (ProgressLine().Match(line) is { Success: true } m && int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) >= atLeast) return;
        Assert.Fail($"The run ended before reaching {atLeast} %: {await process.StandardError.ReadToEndAsync()}");
    }

    private Task<int> RenewedAsync(params Customer[] customers) => app.DbAsync(db =>
    {
        var ids = customers.Select(c => c.Id).ToList();
        return db.Subscriptions.IgnoreQueryFilters().CountAsync(s => ids.Contains(s.OrganizationId) && s.TermEnd > Day);
    });

    private Task<int> InvoicesAsync(params Customer[] customers) => app.DbAsync(db =>
    {
        var ids = customers.Select(c => c.Id).ToList();
        return db.Invoices.IgnoreQueryFilters().CountAsync(i => ids.Contains(i.OrganizationId) && i.SubscriptionId != null);
    });

    /// <summary>The prepaid wallet moved by exactly its renewal debits, one per paid renewal invoice, numbered without gaps.</summary>
    private async Task AssertWalletAsync(Customer prepaid)
    {
        var entries = await app.RenewalEntriesAsync(prepaid);
        var wallet = await app.WalletAsync(prepaid);
        Assert.Equal(Funds - entries.Count * TvMaxMonth, wallet.Balance);
        Assert.Equal(entries.Count, await InvoicesAsync(prepaid));
        Assert.Equal(entries.Count + 1, wallet.LastSequence);
        Assert.Equal(Enumerable.Range(2, entries.Count).Select(i => (long)i), entries.Select(e => e.Sequence));
    }

    private async Task AssertBilledOnceAsync(Customer prepaid, Customer postpaid)
    {
        Assert.Equal(2 * PerCustomer, await RenewedAsync(prepaid, postpaid));
        Assert.Equal(2 * PerCustomer, await InvoicesAsync(prepaid, postpaid));
        var (statuses, periods) = await app.DbAsync(async db =>
        {
            var ids = new[] { prepaid.Id, postpaid.Id };
            var invoices = await db.Invoices.IgnoreQueryFilters().AsNoTracking().Where(i => ids.Contains(i.OrganizationId))
                .Select(i => new { i.OrganizationId, i.Status, i.SubscriptionId, i.PeriodStart }).ToListAsync();
            return (invoices.GroupBy(i => (i.OrganizationId, i.Status)).ToDictionary(g => g.Key, g => g.Count()),
                invoices.Select(i => (i.SubscriptionId, i.PeriodStart)).Distinct().Count());
        });
        Assert.Equal(2 * PerCustomer, periods);
        Assert.Equal(PerCustomer, statuses[(prepaid.Id, InvoiceStatus.Paid)]);
        Assert.Equal(PerCustomer, statuses[(postpaid.Id, InvoiceStatus.Open)]);
        await AssertWalletAsync(prepaid);
        Assert.Equal(PerCustomer, (await app.RenewalEntriesAsync(prepaid)).Count);

        // Invoice numbers run 1..N without a gap, whatever was killed or ran at once.
        var sequences = await app.DbAsync(db => db.Invoices.IgnoreQueryFilters().Where(i => i.Kind == InvoiceKind.Invoice).Select(i => i.Sequence).ToListAsync());
        Assert.Equal(Enumerable.Range(1, sequences.Count).Select(i => (long)i), sequences.Order());
    }

    [GeneratedRegex(@"\]\s+(\d+)\s*%")]
    private static partial Regex ProgressLine();

    [GeneratedRegex(@"renewed\s+([\d,]+)")]
    private static partial Regex RenewedLine();
}

public sealed class BillingProcessTestsOnSqlite(SqliteApp app) : BillingProcessTests(app), IClassFixture<SqliteApp>;

public sealed class BillingProcessTestsOnPostgres(PostgresApp app) : BillingProcessTests(app), IClassFixture<PostgresApp>;
