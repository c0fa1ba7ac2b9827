using System.Data.Common;
using System.Diagnostics;
using Accrue.Domain.Accounts;
using Accrue.Domain.Billing;
using Accrue.Domain.Invoices;
using Accrue.Domain.Wallets;
using Accrue.Web.Data;
using Accrue.Web.Features;
using Accrue.Web.Features.Renewals;
using Accrue.Web.Infrastructure.Email;
using Accrue.Web.Infrastructure.Security;
using Accrue.Web.Infrastructure.Web;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;

namespace Accrue.Bench;

/// <summary>
/// The billing run at scale (issue 6 §5): seeds a book of due subscriptions — 100 organizations,
/// the largest with half of them, prepaid and postpaid alternating — runs the billing run on it,
/// then writes the same number of rows with the same bulk writers and no reading or logic, which
/// is what the database alone costs.
/// <code>
/// dotnet run -c Release --project bench/Accrue.Bench -- billing [--postgres "Host=…;Username=…;Password=…"]
///   [--subscriptions 1000000] [--organizations 100] [--largest 500000]
/// </code>
/// </summary>
public static class BillingBench
{
    private static readonly DateOnly AsOf = new(2027, 1, 1);

    public static async Task<int> RunAsync(string[] args)
    {
        var subscriptions = Option(args, "--subscriptions", 1_000_000);
        var organizations = Option(args, "--organizations", 100);
        var largest = Option(args, "--largest", subscriptions / 2);
        var postgres = args.SkipWhile(a => a != "--postgres").Skip(1).FirstOrDefault();

        var (provider, connectionString, drop) = postgres is null ? FreshSqlite() : await FreshPostgresAsync(postgres);
        try
        {
            var app = BuildApp(provider, connectionString);
            await Accrue.Web.Cli.PrepareDatabaseAsync(app);
            Console.WriteLine($"Billing run benchmark: {subscriptions:N0} due subscriptions, {organizations} organizations (largest {largest:N0}), {provider}");
            Console.WriteLine($"Machine: {Environment.ProcessorCount} cores, {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1L << 30)} GiB, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}");
            Console.WriteLine($"Command: dotnet run -c Release --project bench/Accrue.Bench -- billing {string.Join(' ', args.Select(a => a.Contains(' ') || a.Contains(';') ? $"\"{a}\"" : a))}");

            var seeding = Stopwatch.StartNew();
            await using (var scope = app.Services.CreateAsyncScope())
                await SeedAsync(scope.ServiceProvider.GetRequiredService<AccrueDb>(), subscriptions, organizations, largest);
            Console.WriteLine($"Seeded in {seeding.Elapsed.TotalSeconds:0.0} s.");

            // The run first, on the book as seeded; then the raw writes of the same number of rows.
            BillingRun run;
            var wall = Stopwatch.StartNew();
            await using (var scope = app.Services.CreateAsyncScope())
                run = await scope.ServiceProvider.GetRequiredService<BillingRunner>().RunAsync(AsOf, "bench");
            var runSeconds = wall.Elapsed.TotalSeconds;
            var peak = Process.GetCurrentProcess().PeakWorkingSet64;

            double rawSeconds;
            await using (var scope = app.Services.CreateAsyncScope())
                rawSeconds = await RawWritesAsync(scope.ServiceProvider.GetRequiredService<AccrueDb>(), app.Services);

            Console.WriteLine();
            Console.WriteLine($"| Database | Due | Renewed | Invoiced | Failed | Expired | Billing run | Subscriptions/s | Peak memory | Raw writes of the same rows | Run ÷ raw |");
            Console.WriteLine($"|---|---|---|---|---|---|---|---|---|---|---|");
            Console.WriteLine($"| {provider} | {subscriptions:N0} | {run.Renewed:N0} | {run.Invoiced:N0} | {run.Failed:N0} | {run.Expired:N0} | {runSeconds:0.0} s | {subscriptions / runSeconds:N0} | {peak / (1 << 20):N0} MiB | {rawSeconds:0.0} s | {runSeconds / rawSeconds:0.00} |");
            return 0;
        }
        finally
        {
            await drop();
        }
    }

    private static int Option(string[] args, string name, int fallback) =>
        args.SkipWhile(a => a != name).Skip(1).FirstOrDefault() is { } value ? int.Parse(value, System.Globalization.CultureInfo.InvariantCulture) : fallback;

    private static WebApplication BuildApp(string provider, string connectionString)
    {
        var builder = WebApplication.CreateBuilder([
            $"--Database:Provider={provider}", "--Database:MigrateOnStart=true", $"--ConnectionStrings:Accrue={connectionString}",
            "--Demo:Seed=true", "--Billing:Scheduled=false", "--Logging:LogLevel:Default=Warning", "--Email:PickupDirectory=" + Path.Combine(Path.GetTempPath(), "accrue-bench-mail"),
        ]);
        builder.AddDatabase();
        builder.AddAccrueIdentity();
        builder.AddEmail();
        builder.AddWeb();
        builder.AddFeatures();
        builder.Services.RemoveAll<IHostedService>();
        return builder.Build();
    }

    private static (string, string, Func<Task>) FreshSqlite()
    {
        var path = Path.Combine(Path.GetTempPath(), $"accrue-bench-{Guid.NewGuid():N}.db");
        return ("Sqlite", $"Data Source={path}", () =>
        {
            SqliteConnection.ClearAllPools();
            foreach (var file in Directory.GetFiles(Path.GetTempPath(), Path.GetFileName(path) + "*")) File.Delete(file);
            return Task.CompletedTask;
        });
    }

    private static async Task<(string, string, Func<Task>)> FreshPostgresAsync(string server)
    {
        var name = $"accrue_bench_{Guid.NewGuid():N}";
        await using (var admin = new NpgsqlConnection(server))
        {
            await admin.OpenAsync();
            await new NpgsqlCommand($"CREATE DATABASE {name}", admin).ExecuteNonQueryAsync();
        }
        var connectionString = new NpgsqlConnectionStringBuilder(server) { Database = name }.ToString();
        return ("Postgres", connectionString, async () =>
        {
            NpgsqlConnection.ClearAllPools();
            await using var admin = new NpgsqlConnection(server);
            await admin.OpenAsync();
            await new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", admin).ExecuteNonQueryAsync();
        });
    }

    /// <summary>
    /// Organizations and their wallets through EF; the subscriptions with the provider's bulk path.
    /// Every subscription is a monthly plan whose term ends on the run's date; one in a hundred does
    /// not renew, so expiries are part of the run.
    /// </summary>
    private static async Task SeedAsync(AccrueDb db, int subscriptions, int organizations, int largest)
    {
        var op = await db.Operators.FirstAsync();
        var plans = await db.Plans.Include(p => p.SeatTypes).Where(p => p.Period == BillingPeriod.Month && p.CurrentVersionId != null).ToListAsync();
        var versions = await db.PlanVersions.ToListAsync();
        var plan = plans.First(p => !p.HasSeatTypes && !p.SoldPerUnit && versions.Single(v => v.Id == p.CurrentVersionId).PriceIn("EUR") is { Amount: > 0 });
        var orgs = Enumerable.Range(0, organizations).Select(i => new Organization
        {
            OperatorId = op.Id, Name = $"Bench {i:D3}", BillingName = $"Bench {i:D3} Ltd", Country = "DE", Currency = "EUR", TimeZone = "Europe/Berlin",
            BillingMode = i % 2 == 0 ? BillingMode.Prepaid : BillingMode.Postpaid,
        }).ToList();
        db.Organizations.AddRange(orgs);
        await db.SaveChangesAsync();
        foreach (var org in orgs.Where(o => o.BillingMode == BillingMode.Prepaid))
            await db.Database.ExecuteSqlAsync($"""INSERT INTO "Wallets" ("OrganizationId", "Currency", "Balance", "LastSequence", "LowBalanceThreshold", "LowBalanceAlerted") VALUES ({org.Id}, 'EUR', {1_000_000_000m}, {0L}, {0m}, {false})""");

        var counts = Enumerable.Repeat((subscriptions - largest) / Math.Max(1, organizations - 1), organizations).ToArray();
        counts[0] = largest;
        counts[^1] += subscriptions - counts.Sum();
        var term = Term.Of(AsOf.AddMonths(-1), BillingPeriod.Month, 1, AsOf.Day);
        var rows = orgs.Zip(counts).SelectMany(o => Enumerable.Range(0, o.Second).Select(i => (Organization: o.First.Id, AutoRenew: i % 100 != 99)));
        await using var transaction = await db.Database.BeginTransactionAsync();
        await SubscriptionRows.InsertAsync(db, rows, plan.Id, plan.CurrentVersionId!.Value, term);
        await transaction.CommitAsync();
    }

    /// <summary>
    /// What the database alone costs for the run's rows: the same subscription updates, invoices and
    /// wallet entries, in batches of the same size and through the same bulk writers, without reading
    /// anything or working anything out. The rows are removed again afterwards.
    /// </summary>
    private static async Task<double> RawWritesAsync(AccrueDb db, IServiceProvider services)
    {
        var invoices = await db.Invoices.AsNoTracking().Where(i => i.SubscriptionId != null).OrderBy(i => i.Sequence).ToListAsync();
        var entries = await db.WalletEntries.IgnoreQueryFilters().AsNoTracking().Where(e => e.Kind == WalletEntryKind.Renewal).ToListAsync();
        var subscriptions = await db.Subscriptions.IgnoreQueryFilters().AsNoTracking().Select(s => new SubscriptionChange(
            s.Id, s.Revision, s.Status, s.TermStart, s.TermEnd, s.AnchorDay, s.PlanVersionId, s.ActivatedOn, s.CancelledOn, s.CancelAtPeriodEnd)).ToListAsync();
        var lines = invoices.ToDictionary(i => i.Id, i => JsonColumn.Serialize(i.Lines));
        var copies = invoices.Select(i => (Copy(i, "RAW-"), lines[i.Id])).ToList();
        var entryCopies = entries.Select(e => new WalletEntry
        {
            OrganizationId = e.OrganizationId, Sequence = e.Sequence + 100_000_000, Kind = e.Kind, Amount = e.Amount, BalanceAfter = e.BalanceAfter,
            Currency = e.Currency, Description = e.Description, At = e.At, UniqueKey = "raw:" + e.UniqueKey,
        }).ToList();
        var batch = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<BillingOptions>>().Value.BatchSize;

        var writes = RenewalWrites.For(db);
        await using var session = await writes.BeginRunAsync(default);
        var clock = Stopwatch.StartNew();
        for (var start = 0; start < Math.Max(copies.Count, subscriptions.Count); start += batch)
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            var changes = subscriptions.Skip(start).Take(batch).ToList();
            if (changes.Count > 0) await writes.UpdateSubscriptionsAsync(changes, DateTimeOffset.UtcNow, default);
            var slice = copies.Skip(start).Take(batch).ToList();
            if (slice.Count > 0) await writes.InsertInvoicesAsync(slice, default);
            var entrySlice = entryCopies.Skip(start).Take(batch).ToList();
            if (entrySlice.Count > 0) await writes.InsertWalletEntriesAsync(entrySlice, default);
            await transaction.CommitAsync();
            // The guarded update bumped each revision; the next batch's guard reads what is now stored.
            for (var i = start; i < Math.Min(start + batch, subscriptions.Count); i++) subscriptions[i] = subscriptions[i] with { Revision = subscriptions[i].Revision + 1 };
        }
        var seconds = clock.Elapsed.TotalSeconds;
        await db.Invoices.Where(i => i.Number.StartsWith("RAW-")).ExecuteDeleteAsync();
        await db.WalletEntries.IgnoreQueryFilters().Where(e => e.UniqueKey!.StartsWith("raw:")).ExecuteDeleteAsync();
        return seconds;
    }

    private static Invoice Copy(Invoice i, string prefix)
    {
        var copy = Invoice.Issue(i.Kind, prefix + i.Number, i.Sequence + 100_000_000, new Quote(i.Currency, i.Lines),
            new InvoiceParty(i.OperatorId, i.OrganizationId, i.BillingName, i.BillingAddress, i.Country), i.IssuedOn, i.TaxNote);
        (copy.SubscriptionId, copy.PeriodStart, copy.DueOn, copy.CreatedAt) = (i.SubscriptionId, i.PeriodStart!.Value.AddYears(100), i.DueOn, i.CreatedAt);
        if (i.Status == InvoiceStatus.Paid) copy.MarkPaid(i.PaidAt!.Value);
        return copy;
    }
}
