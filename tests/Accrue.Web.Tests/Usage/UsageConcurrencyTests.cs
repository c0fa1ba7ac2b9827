using Accrue.Web.Tests.Api;
using Accrue.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static Accrue.Web.Tests.Usage.UnitsSteps;

namespace Accrue.Web.Tests.Usage;

/// <summary>Usage events with repeated ids from many clients at once: each id is consumed exactly once (issue 4 §7).</summary>
public abstract class UsageConcurrencyTests(AccrueApp app)
{
    private const int Clients = 64;
    private const int BatchesPerClient = 1;
    private const int EventsPerBatch = 100;
    private const int DistinctIds = 300;
    private const long Initial = 1_000_000;

    private static long QuantityOf(int id) => id % 7 + 1;

    [Fact]
    public async Task Sixty_four_clients_sending_overlapping_ids_consume_each_distinct_id_exactly_once()
    {
        var customer = await app.NewCustomerAsync();
        var org = customer.OrganizationId;
        await app.CreditAsync(org, "ocr", Initial);
        var clients = new List<HttpClient>();
        for (var c = 0; c < Clients; c++) clients.Add(await app.ApiAsync(org, null));

        // Client c, batch b: 100 consecutive ids from a pool of 300, each client starting elsewhere, so every id is sent many times.
        var batches = Enumerable.Range(0, Clients).Select(c => Enumerable.Range(0, BatchesPerClient)
            .Select(b => Enumerable.Range(0, EventsPerBatch).Select(j => (c * 37 + b * 71 + j) % DistinctIds).ToList()).ToList()).ToList();
        var sent = batches.SelectMany(c => c.SelectMany(b => b)).Distinct().ToList();

        var accepted = await Task.WhenAll(clients.Select(async (client, c) =>
        {
            var count = 0;
            foreach (var ids in batches[c])
            {
                var (results, _) = await client.UsageAsync(org, ids.Select(i => Event($"evt-{i}", "ocr", QuantityOf(i))).ToArray());
                Assert.All(results, r => Assert.Contains(r.Outcome, new[] { "Accepted", "Duplicate" }));
                count += results.Count(r => r.Outcome == "Accepted");
            }
            return count;
        }));

        Assert.Equal(sent.Count, accepted.Sum());
        var expected = Initial - sent.Sum(QuantityOf);
        Assert.Equal(expected, (await app.BalanceAsync(org, "ocr"))!.Balance);
        var (events, _, sum) = await app.UsageRowsAsync(org);
        Assert.Equal(sent.Count, events);
        Assert.Equal(expected, sum);
        Assert.Equal(sent.Sum(QuantityOf), await app.DbAsync(db => db.UsageEvents.IgnoreQueryFilters().Where(e => e.OrganizationId == org).SumAsync(e => e.Quantity)));
        Assert.Equal(sent.Sum(QuantityOf), (await app.AssertTotalsMatchEventsAsync(org)).Sum(t => t.Quantity));
    }
}

public sealed class UsageConcurrencyOnSqlite(SqliteApp app) : UsageConcurrencyTests(app), IClassFixture<SqliteApp>;

public sealed class UsageConcurrencyOnPostgres(PostgresApp app) : UsageConcurrencyTests(app), IClassFixture<PostgresApp>;
