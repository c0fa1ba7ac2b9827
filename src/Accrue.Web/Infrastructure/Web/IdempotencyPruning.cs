using Accrue.Web.Data;
using Accrue.Web.Infrastructure.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Accrue.Web.Infrastructure.Web;

/// <summary>Configuration section "Idempotency": how long a replayable first answer is kept.</summary>
public sealed class IdempotencyPruningOptions
{
    public TimeSpan RetainFor { get; set; } = TimeSpan.FromHours(24);
    public int BatchSize { get; set; } = 1000;
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromHours(1);
}

/// <summary>
/// Deletes <see cref="Infrastructure.Web.IdempotencyRecord"/>s older than "Idempotency:RetainFor":
/// a key sent again after that is a new request. Batches keep each delete's lock short; deleting is
/// idempotent, so two instances at once only share the work.
/// </summary>
public sealed class IdempotencyPruning(AccrueDb db, IOptions<IdempotencyPruningOptions> options, TimeProvider clock)
{
    /// <summary>Deletes every expired record, a batch at a time; returns how many.</summary>
    public async Task<int> RunAsync(CancellationToken ct)
    {
        var settings = options.Value;
        var cutoff = clock.GetUtcNow() - settings.RetainFor;
        var batch = Math.Max(1, settings.BatchSize);
        var deleted = 0;
        while (true)
        {
            var keys = await db.IdempotencyRecords.AsNoTracking().Where(r => r.CreatedAt < cutoff)
                .OrderBy(r => r.CreatedAt).Take(batch).Select(r => new { r.Scope, r.Key }).ToListAsync(ct);
            if (keys.Count == 0) return deleted;
            foreach (var scope in keys.GroupBy(k => k.Scope))
            {
                var names = scope.Select(k => k.Key).ToList();
                deleted += await db.IdempotencyRecords.Where(r => r.Scope == scope.Key && names.Contains(r.Key) && r.CreatedAt < cutoff).ExecuteDeleteAsync(ct);
            }
            if (keys.Count < batch) return deleted;
        }
    }
}

public sealed class IdempotencyPruningJob(IServiceScopeFactory scopes, IOptions<IdempotencyPruningOptions> options, TimeProvider clock, ILogger<IdempotencyPruningJob> logger)
    : ScheduledJob(scopes, clock, logger)
{
    protected override string Name => "idempotency-pruning";
    protected override TimeSpan Interval => options.Value.PollInterval;
    protected override async Task RunAsync(IServiceProvider services, CancellationToken ct)
    {
        await services.GetRequiredService<IdempotencyPruning>().RunAsync(ct);
        // Sign-in attempts older than the lock-out window count for nothing any more.
        await services.GetRequiredService<Infrastructure.Security.SignInLockout>().PruneAsync(ct);
        // So do sessions idle past their cookie's lifetime, and revoked ones.
        await services.GetRequiredService<Infrastructure.Security.UserSessions>().PruneAsync(ct);
    }
}
