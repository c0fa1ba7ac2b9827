using Accrue.Web.Infrastructure.Jobs;
using Microsoft.Extensions.Options;

namespace Accrue.Web.Features.Renewals;

/// <summary>
/// Runs the billing run inside the app every "Billing:Interval" (default hourly), as of each
/// organization's today, when anything is due. One instance runs a round (the "job:billing" lease);
/// a second run at once would be safe anyway.
/// </summary>
public sealed class BillingSchedule(IServiceScopeFactory scopes, IOptions<BillingOptions> options, TimeProvider clock, ILogger<BillingSchedule> logger)
    : ScheduledJob(scopes, clock, logger)
{
    protected override string Name => "billing";
    protected override TimeSpan Interval => options.Value.Interval;

    protected override async Task RunAsync(IServiceProvider services, CancellationToken ct)
    {
        var runner = services.GetRequiredService<BillingRunner>();
        // Even when nothing is due: a run killed earlier is marked abandoned once its lease has expired.
        await runner.AbandonStoppedRunsAsync(ct);
        if (await runner.AnyDueAsync(ct)) await runner.RunAsync(null, BillingTriggers.Schedule, null, ct);
    }
}

public static class BillingTriggers
{
    public const string Schedule = "schedule";
    public const string CommandLine = "cli";
    public const string Console = "console";
    public const string Api = "api";
}
