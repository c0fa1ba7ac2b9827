using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Accrue.Web.Tests.Infrastructure;

/// <summary>A clock the test moves forward, so dunning's days come without waiting for them.</summary>
public sealed class MovableClock : TimeProvider
{
    private TimeSpan _offset;

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + _offset;

    public void Advance(TimeSpan by) => _offset += by;

    /// <summary>Moves to the start of <paramref name="day"/> plus 12 hours in <paramref name="zone"/>.</summary>
    public void MoveTo(DateOnly day, string zone)
    {
        var tz = TimeZoneInfo.FindSystemTimeZoneById(zone);
        var local = day.ToDateTime(new TimeOnly(12, 0));
        var target = new DateTimeOffset(local, tz.GetUtcOffset(local));
        _offset = target - System.GetUtcNow();
    }
}

/// <summary>A fresh app whose clock the test moves (dunning, time limits, waiting times).</summary>
public class ClockedSqliteApp : SqliteApp
{
    public MovableClock Clock { get; } = new();
    protected override TimeProvider SeedClock => Clock;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(Clock));
    }
}

/// <summary>The same on PostgreSQL.</summary>
public class ClockedPostgresApp : PostgresApp
{
    public MovableClock Clock { get; } = new();
    protected override TimeProvider SeedClock => Clock;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(Clock));
    }
}
