using System.Text.Json;
using Accrue.Domain.Usage;
using Accrue.Web.Data;
using Accrue.Web.Infrastructure.Tenancy;
using Accrue.Web.Tests.Api;
using Accrue.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;
using static Accrue.Web.Tests.Usage.UnitsSteps;

namespace Accrue.Web.Tests.Usage;

/// <summary>
/// "Used in the last 30 days" comes from hourly usage totals written with the events (docs/benchmarks.md, usage
/// ingestion): it must stay exact to the instant, and the totals must always add up to the stored events.
/// </summary>
public abstract class UsageTotalsTests(AccrueApp app, MovableClock clock)
{
    [Fact]
    public async Task Used_in_the_last_30_days_counts_from_the_same_instant_30_days_ago_as_the_clock_moves()
    {
        // Half past the hour, so the window's first hour holds events on both sides of its start.
        clock.MoveTo(DateOnly.FromDateTime(DateTime.UtcNow).AddDays(400), "UTC");
        clock.Advance(TimeSpan.FromMinutes(30));
        var customer = await app.NewCustomerAsync();
        var org = customer.OrganizationId;
        await app.CreditAsync(org, "ocr", 1000);
        var now = clock.GetUtcNow();
        var since = now.AddDays(-30);

        var (results, body) = await customer.Api.UsageAsync(org,
            Event("hours-before", "ocr", 1, since.AddHours(-2)), Event("just-before", "ocr", 2, since.AddSeconds(-10)),
            Event("just-after", "ocr", 4, since.AddSeconds(10)), Event("hours-after", "ocr", 8, since.AddHours(2)),
            Event("recent", "ocr", 16, now.AddMinutes(-1)), Event("ahead", "ocr", 32, now.AddHours(2)));

        Assert.All(results, r => Assert.Equal("Accepted", r.Outcome));
        Assert.Equal(4 + 8 + 16 + 32, body.UsedIn("ocr"));
        Assert.Equal(4 + 8 + 16 + 32, await UsedAsync(customer));
        Assert.Equal(1000 - 63, body.BalanceIn("ocr"));

        // The event 10 s after the window's start leaves it 20 s later; the totals of later hours stay.
        clock.Advance(TimeSpan.FromSeconds(20));
        Assert.Equal(8 + 16 + 32, await UsedAsync(customer));
        var (replayed, answer) = await customer.Api.UsageAsync(org, Event("recent", "ocr", 16, now.AddMinutes(-1)));
        Assert.Equal("Duplicate", replayed.Single().Outcome);
        Assert.Equal(8 + 16 + 32, answer.UsedIn("ocr"));

        clock.Advance(TimeSpan.FromHours(3));
        Assert.Equal(16 + 32, await UsedAsync(customer));
        clock.Advance(TimeSpan.FromDays(30));
        Assert.Equal(0, await UsedAsync(customer));
        Assert.Equal(1000 - 63, (await app.BalanceAsync(org, "ocr"))!.Balance);
        await app.AssertTotalsMatchEventsAsync(org);
    }

    [Fact]
    public async Task Hourly_totals_add_up_to_the_stored_events_after_replays_repeats_and_refusals()
    {
        var customer = await app.NewCustomerAsync();
        var org = customer.OrganizationId;
        await app.CreditAsync(org, "ocr", 20);
        await app.CreditAsync(org, "sms", 1);
        var now = clock.GetUtcNow();
        object[] batch =
        [
            Event("a", "ocr", 3, now.AddHours(-3)), Event("b", "ocr", 4, now.AddHours(-3)), Event("c", "sms", 5, now.AddDays(-1)),
            Event("a", "ocr", 3, now.AddHours(-3)), Event("d", "ocr", 30, now), Event("e", "ocr", 1, now.AddDays(-45)),
        ];

        var (first, _) = await customer.Api.UsageAsync(org, batch);
        Assert.Equal(["Accepted", "Accepted", "Overage", "Duplicate", "Refused", "Accepted"], first.Select(r => r.Outcome));
        var (again, body) = await customer.Api.UsageAsync(org, [.. batch, Event("f", "sms", 2, now.AddHours(-3))]);
        Assert.Equal(["Duplicate", "Duplicate", "Duplicate", "Duplicate", "Refused", "Duplicate", "Overage"], again.Select(r => r.Outcome));

        Assert.Equal((7L, 7L), (body.UsedIn("ocr"), body.UsedIn("sms")));
        var totals = await app.AssertTotalsMatchEventsAsync(org);
        // ocr: a + b in one hour, e 45 days back; sms: c and f; d was refused twice and counts nowhere.
        Assert.Equal((4, 15L), (totals.Count, totals.Sum(t => t.Quantity)));
    }

    private async Task<long> UsedAsync(CommerceApi.Customer customer)
    {
        var units = (await (await customer.Api.GetAsync($"/api/v1/organizations/{customer.OrganizationId}/units")).JsonAsync()).GetProperty("items");
        return units.EnumerateArray().Single(u => u.GetProperty("meter").GetString() == "ocr").GetProperty("usedLast30Days").GetInt64();
    }
}

public static class UsageTotalsSteps
{
    public static long UsedIn(this JsonElement body, string meter) =>
        body.GetProperty("balances").EnumerateArray().Single(b => b.GetProperty("meter").GetString() == meter).GetProperty("usedLast30Days").GetInt64();

    /// <summary>Asserts the organization's hourly totals are exactly its stored events summed by meter and UTC hour, and returns them.</summary>
    public static async Task<List<(string Meter, DateTimeOffset Hour, long Quantity)>> AssertTotalsMatchEventsAsync(this AccrueApp app, Guid organizationId)
    {
        var events = await app.DbAsync(db => db.UsageEvents.IgnoreQueryFilters().Where(e => e.OrganizationId == organizationId).ToListAsync());
        var expected = events.GroupBy(e => (e.Meter, Hour: UsageTotal.HourOf(e.OccurredAt)))
            .Select(g => (g.Key.Meter, g.Key.Hour, Quantity: g.Sum(e => e.Quantity))).Order().ToList();
        var totals = (await app.DbAsync(db => db.UsageTotals.IgnoreQueryFilters().Where(t => t.OrganizationId == organizationId).ToListAsync()))
            .Select(t => (t.Meter, t.Hour, t.Quantity)).Order().ToList();
        Assert.Equal(expected, totals);
        return totals;
    }
}

public sealed class UsageTotalsOnSqlite(ClockedSqliteApp app) : UsageTotalsTests(app, app.Clock), IClassFixture<ClockedSqliteApp>;

public sealed class UsageTotalsOnPostgres(ClockedPostgresApp app) : UsageTotalsTests(app, app.Clock), IClassFixture<ClockedPostgresApp>;

/// <summary>The UsageTotals migration adds up the events already stored, by UTC hour, whatever the session's time zone.</summary>
public abstract class UsageTotalsMigrationTests
{
    protected abstract AccrueDb NewContext();

    [Fact]
    public async Task Migrating_fills_the_hourly_totals_from_the_events_already_stored()
    {
        await using var db = NewContext();
        await db.GetService<IMigrator>().MigrateAsync("Automation");
        var (a, b) = (Guid.NewGuid(), Guid.NewGuid());
        // 15:45 at +05:30 is 10:15 UTC: the hours are UTC hours.
        var at = new DateTimeOffset(2026, 3, 1, 15, 45, 0, TimeSpan.FromHours(5.5));
        db.UsageEvents.AddRange(
            Stored(a, "a1", "ocr", 1, at), Stored(a, "a2", "ocr", 2, at.AddMinutes(30)), Stored(a, "a3", "ocr", 4, at.AddMinutes(50)),
            Stored(a, "a4", "whatsapp", 8, at), Stored(b, "b1", "ocr", 16, at.AddDays(-40)));
        await db.SaveChangesAsync();

        await db.Database.MigrateAsync();

        var totals = (await db.UsageTotals.IgnoreQueryFilters().ToListAsync())
            .Select(t => (t.OrganizationId == a ? "a" : "b", t.Meter, t.Hour, t.Quantity)).Order().ToList();
        var ten = new DateTimeOffset(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);
        Assert.Equal([("a", "ocr", ten, 3L), ("a", "ocr", ten.AddHours(1), 4L), ("a", "whatsapp", ten, 8L), ("b", "ocr", ten.AddDays(-40), 16L)], totals);
    }

    private static UsageEvent Stored(Guid organization, string id, string meter, long quantity, DateTimeOffset at) =>
        new() { OrganizationId = organization, EventId = id, Meter = meter, Quantity = quantity, OccurredAt = at.ToUniversalTime(), ReceivedAt = at.ToUniversalTime() };

    protected static CurrentActor System()
    {
        var actor = new CurrentActor(new HttpContextAccessor());
        actor.Set(Actor.System);
        return actor;
    }
}

public sealed class UsageTotalsMigrationOnSqlite : UsageTotalsMigrationTests, IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), "accrue-tests", $"{Guid.NewGuid():N}.db");

    protected override AccrueDb NewContext()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        return new SqliteAccrueDb(new DbContextOptionsBuilder<SqliteAccrueDb>().UseSqlite($"Data Source={_path}").Options, System());
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var file in new[] { _path, _path + "-wal", _path + "-shm" }) File.Delete(file);
    }
}

public sealed class UsageTotalsMigrationOnPostgres : UsageTotalsMigrationTests, IAsyncLifetime
{
    private readonly string _database = $"accrue_test_{Guid.NewGuid():N}";
    private static string Server => Environment.GetEnvironmentVariable("ACCRUE_TEST_POSTGRES")
        ?? throw new InvalidOperationException("ACCRUE_TEST_POSTGRES is not set: run the tests with scripts/test.sh, which starts PostgreSQL.");

    // A session time zone off UTC by a half hour: date_trunc on a timestamptz would follow it.
    protected override AccrueDb NewContext() => new PostgresAccrueDb(new DbContextOptionsBuilder<PostgresAccrueDb>()
        .UseNpgsql(new NpgsqlConnectionStringBuilder(Server) { Database = _database, Timezone = "Asia/Kolkata" }.ToString()).Options, System());

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(Server);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_database}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
