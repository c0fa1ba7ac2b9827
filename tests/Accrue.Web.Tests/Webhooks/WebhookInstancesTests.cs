using System.Net.Http.Json;
using Accrue.Web.Data;
using Accrue.Web.Features.Webhooks;
using Accrue.Web.Tests.Api;
using Accrue.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Accrue.Web.Tests.Webhooks;

/// <summary>
/// Issue 15 A5: two dispatchers (two app instances) on one database, against a failing receiver. Each
/// delivery gets exactly one attempt per due time, and no retry comes before its back-off is over.
/// </summary>
public abstract class WebhookInstancesTests(AccrueApp app, MovableClock clock)
{
    private const int Deliveries = 12;

    [Fact]
    public async Task Two_dispatchers_attempt_each_failing_delivery_once_per_due_time_and_respect_the_back_off()
    {
        // The first request of each round is slow: the dispatcher holding it comes back to a list it read
        // before the other dispatcher attempted (and rescheduled) every other delivery of the round.
        await using var receiver = await Receiver.StartAsync(_ => 500, n => n % Deliveries == 1 ? TimeSpan.FromSeconds(3) : TimeSpan.Zero);
        var (orgId, _) = await app.CreateOrganizationAsync();
        var api = await app.ApiAsync(orgId, null);
        var created = await api.PostAsJsonAsync($"/api/v1/organizations/{orgId}/webhooks", new { url = receiver.Url, eventTypes = new[] { WebhookEvents.MemberAdded } });
        var endpointId = (await created.JsonAsync()).GetProperty("id").GetGuid();
        var start = clock.GetUtcNow();
        var ids = await app.DbAsync(async db =>
        {
            var rows = Enumerable.Range(0, Deliveries).Select(i => new WebhookDelivery
            {
                EndpointId = endpointId,
                EventId = Guid.CreateVersion7(),
                EventType = WebhookEvents.MemberAdded,
                OrganizationId = orgId,
                Payload = $"{{\"n\":{i}}}",
                Status = WebhookDeliveryStatus.Pending,
                NextAttemptAt = start,
                RetryUntil = start + TimeSpan.FromDays(3),
            }).ToList();
            db.WebhookDeliveries.AddRange(rows);
            await db.SaveChangesAsync();
            return rows.Select(r => r.Id).ToList();
        });

        var first = ActivatorUtilities.CreateInstance<WebhookDispatcher>(app.Services);
        var second = ActivatorUtilities.CreateInstance<WebhookDispatcher>(app.Services);
        async Task<int> BothAsync()
        {
            var handled = await Task.WhenAll(first.DispatchBatchAsync(CancellationToken.None), second.DispatchBatchAsync(CancellationToken.None));
            return handled.Sum();
        }

        // Round 1: everything is due; between them the two dispatchers attempt each delivery once.
        Assert.Equal(Deliveries, await BothAsync());
        await AssertAttemptsAsync(ids, 1);
        Assert.Equal(Deliveries, receiver.Requests.Count);

        // Nothing is due again before the first back-off (1 minute) is over.
        Assert.Equal(0, await BothAsync());
        clock.Advance(TimeSpan.FromSeconds(50));
        Assert.Equal(0, await BothAsync());
        await AssertAttemptsAsync(ids, 1);

        // Round 2, a minute after each first attempt: one more attempt each; then 2 minutes of back-off.
        clock.Advance(TimeSpan.FromSeconds(15));
        Assert.Equal(Deliveries, await BothAsync());
        await AssertAttemptsAsync(ids, 2);
        Assert.Equal(0, await BothAsync());
        clock.Advance(TimeSpan.FromSeconds(100));
        Assert.Equal(0, await BothAsync());

        // Round 3 after the 2 minutes.
        clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(Deliveries, await BothAsync());
        var attempts = await AssertAttemptsAsync(ids, 3);
        Assert.Equal(3 * Deliveries, receiver.Requests.Count);
        Assert.All(receiver.Requests.GroupBy(r => r.Headers["Accrue-Webhook-Id"]), g => Assert.Equal(3, g.Count()));

        // The back-off held for every delivery: ≥ 1 minute before the 2nd attempt, ≥ 2 minutes before the 3rd.
        foreach (var times in attempts.Values)
        {
            Assert.True(times[1] - times[0] >= TimeSpan.FromMinutes(1), $"2nd attempt {times[1] - times[0]} after the 1st");
            Assert.True(times[2] - times[1] >= TimeSpan.FromMinutes(2), $"3rd attempt {times[2] - times[1]} after the 2nd");
        }
        var deliveries = await app.DbAsync(db => db.WebhookDeliveries.AsNoTracking().Where(d => ids.Contains(d.Id)).ToListAsync());
        Assert.All(deliveries, d => Assert.Equal((WebhookDeliveryStatus.Pending, 3, 500, (DateTimeOffset?)null), (d.Status, d.Attempts, d.LastStatusCode, d.LockedUntil)));
    }

    /// <summary>Asserts every delivery has exactly <paramref name="count"/> attempts (rows and counter); returns their times.</summary>
    private async Task<Dictionary<Guid, List<DateTimeOffset>>> AssertAttemptsAsync(List<Guid> ids, int count)
    {
        var rows = await app.DbAsync(db => db.WebhookAttempts.AsNoTracking().Where(a => ids.Contains(a.DeliveryId)).ToListAsync());
        var byDelivery = ids.ToDictionary(id => id, id => rows.Where(a => a.DeliveryId == id).Select(a => a.At).Order().ToList());
        var wrong = byDelivery.Where(p => p.Value.Count != count).Select(p => p.Value.Count).ToList();
        Assert.True(wrong.Count == 0, $"Expected {count} attempt(s) per delivery; {wrong.Count} deliveries had {string.Join(", ", wrong)}.");
        var counters = await app.DbAsync(db => db.WebhookDeliveries.AsNoTracking().Where(d => ids.Contains(d.Id)).Select(d => d.Attempts).ToListAsync());
        Assert.All(counters, c => Assert.Equal(count, c));
        return byDelivery;
    }
}

/// <summary>No background webhook dispatcher: the test runs two of its own, as two app instances would.</summary>
public static class WithoutWebhookDispatcher
{
    public static void RemoveWebhookDispatcher(this IServiceCollection services)
    {
        // WebhookSetup registers it as a hosted service through a factory lambda (compiled into WebhookSetup's closure class).
        var hosted = services.Where(d => d.ServiceType == typeof(IHostedService)
            && d.ImplementationFactory?.Method.DeclaringType?.FullName?.StartsWith(typeof(WebhookSetup).FullName!, StringComparison.Ordinal) == true).ToList();
        Assert.Single(hosted);
        services.Remove(hosted[0]);
    }
}

public sealed class WebhookInstancesSqliteApp : ClockedSqliteApp
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Webhooks:AllowPrivateTargets"] = "true" };
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(s => s.RemoveWebhookDispatcher());
    }
}

public sealed class WebhookInstancesPostgresApp : ClockedPostgresApp
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Webhooks:AllowPrivateTargets"] = "true" };
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(s => s.RemoveWebhookDispatcher());
    }
}

public sealed class WebhookInstancesTestsOnSqlite(WebhookInstancesSqliteApp app) : WebhookInstancesTests(app, app.Clock), IClassFixture<WebhookInstancesSqliteApp>;

public sealed class WebhookInstancesTestsOnPostgres(WebhookInstancesPostgresApp app) : WebhookInstancesTests(app, app.Clock), IClassFixture<WebhookInstancesPostgresApp>;
