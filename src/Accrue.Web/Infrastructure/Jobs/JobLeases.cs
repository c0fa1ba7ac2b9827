using Accrue.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Infrastructure.Jobs;

/// <summary>
/// A named lease in the database: whoever holds it until <see cref="LeasedUntil"/> does the work it
/// names ("job:dunning", "billing:{organization}"), so several app instances never do it at once.
/// </summary>
public sealed class JobLease
{
    public required string Name { get; set; }
    public required string Holder { get; set; }
    public DateTimeOffset LeasedUntil { get; set; }
}

public static class JobLeases
{
    /// <summary>This process: leases it holds are renewed by it and wait for everyone else.</summary>
    public static readonly string Holder = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    /// <summary>
    /// Takes or renews the lease <paramref name="name"/> until <paramref name="until"/>; false while
    /// another holder's lease runs. One conditional update decides, so two instances can't both win.
    /// </summary>
    public static async Task<bool> TryLeaseAsync(this AccrueDb db, string name, DateTimeOffset now, DateTimeOffset until, CancellationToken ct = default)
    {
        if (!await db.JobLeases.AnyAsync(l => l.Name == name, ct))
        {
            object never = db.Database.IsNpgsql() ? DateTimeOffset.UnixEpoch : 0L;
            await db.Database.ExecuteSqlAsync($"""INSERT INTO "JobLeases" ("Name", "Holder", "LeasedUntil") VALUES ({name}, '', {never}) ON CONFLICT DO NOTHING""", ct);
        }
        var holder = Holder;
        return await db.JobLeases.Where(l => l.Name == name && (l.LeasedUntil <= now || l.Holder == holder))
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.Holder, holder).SetProperty(l => l.LeasedUntil, until), ct) == 1;
    }

    /// <summary>Gives the lease up early (a billing run finishing an organization).</summary>
    public static Task ReleaseLeaseAsync(this AccrueDb db, string name, DateTimeOffset now, CancellationToken ct = default)
    {
        var holder = Holder;
        return db.JobLeases.Where(l => l.Name == name && l.Holder == holder).ExecuteUpdateAsync(s => s.SetProperty(l => l.LeasedUntil, now), ct);
    }
}

/// <summary>
/// A job every app instance schedules and one runs at a time: each round takes the lease
/// "job:{Name}" for one interval, so with several instances the work happens once per interval;
/// the work itself is idempotent, so a crashed round is simply done again later.
/// </summary>
public abstract class ScheduledJob(IServiceScopeFactory scopes, TimeProvider clock, ILogger logger) : BackgroundService
{
    protected abstract string Name { get; }
    protected abstract TimeSpan Interval { get; }

    /// <summary>One round of the job, in its own scope.</summary>
    protected abstract Task RunAsync(IServiceProvider services, CancellationToken ct);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<AccrueDb>();
                var now = clock.GetUtcNow();
                if (await db.TryLeaseAsync($"job:{Name}", now, now + Interval, stoppingToken))
                    await RunAsync(scope.ServiceProvider, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Job {Job} failed; retrying at the next round", Name);
            }
            try { await Task.Delay(Interval, clock, stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }
}
