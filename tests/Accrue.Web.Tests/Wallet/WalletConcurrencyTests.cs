using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Accrue.Web.Tests.Api;
using Accrue.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace Accrue.Web.Tests.Wallet;

/// <summary>Issue 4 §7: many clients crediting and debiting one wallet at once lose nothing and double nothing.</summary>
public abstract class WalletConcurrencyTests(AccrueApp app, ITestOutputHelper output)
{
    private const int Clients = 64;
    /// <summary>
    /// 100 per client in the regular run (6,400 postings per database, about a minute each on 2 cores);
    /// issue 4's full 1,000 per client runs with ACCRUE_WALLET_LOAD_OPERATIONS=1000 (docs/benchmarks.md).
    /// </summary>
    private static readonly int OperationsPerClient =
        int.TryParse(Environment.GetEnvironmentVariable("ACCRUE_WALLET_LOAD_OPERATIONS"), out var n) && n > 0 ? n : 100;

    [Fact]
    public async Task Sixty_four_clients_crediting_and_debiting_one_wallet_keep_the_balance_equal_to_the_ledger()
    {
        var customer = await app.NewCustomerAsync();
        var url = $"/api/v1/organizations/{customer.OrganizationId}/wallet/adjustments";
        var (key, plaintext) = Accrue.Web.Infrastructure.Security.ApiKeys.Create(Http.Unique("load key"), null, null);
        await app.DbAsync(async db => { db.ApiKeys.Add(key); return await db.SaveChangesAsync(); });
        var clock = Stopwatch.StartNew();

        var results = await Task.WhenAll(Enumerable.Range(0, Clients).Select(client => Task.Run(async () =>
        {
            using var api = app.ApiClient(plaintext);
            var random = new Random(client);
            var (succeeded, refused, signed) = (0, 0, 0m);
            for (var i = 0; i < OperationsPerClient; i++)
            {
                // Slightly more debits than credits of similar size, so the balance keeps touching zero and some debits are refused.
                var credit = random.Next(100) < 48;
                var amount = random.Next(1, 2_000) / 100m;
                var response = await api.PostAsJsonAsync(url, new { direction = credit ? "Credit" : "Debit", amount = amount.Wire(), reason = "load" });
                if (response.StatusCode == HttpStatusCode.Created) { succeeded++; signed += credit ? amount : -amount; }
                else if (response.StatusCode == HttpStatusCode.Conflict) refused++;
                else throw new Xunit.Sdk.XunitException($"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            }
            return (succeeded, refused, signed);
        })));
        output.WriteLine($"{app.Provider}: {Clients * OperationsPerClient} requests in {clock.Elapsed.TotalSeconds:F1} s");

        var succeeded = results.Sum(r => r.succeeded);
        var refused = results.Sum(r => r.refused);
        var expected = results.Sum(r => r.signed);
        Assert.True(refused > 0, "Some debits should have found too little balance.");
        var entries = await app.DbAsync(db => db.WalletEntries.IgnoreQueryFilters().AsNoTracking()
            .Where(e => e.OrganizationId == customer.OrganizationId).OrderBy(e => e.Sequence).Select(e => new { e.Sequence, e.Amount, e.BalanceAfter }).ToListAsync());
        var wallet = await app.DbAsync(db => db.Wallets.IgnoreQueryFilters().AsNoTracking().SingleAsync(w => w.OrganizationId == customer.OrganizationId));

        Assert.Equal(succeeded, entries.Count);
        Assert.Equal(Enumerable.Range(1, succeeded).Select(n => (long)n), entries.Select(e => e.Sequence));
        Assert.Equal(expected, entries.Sum(e => e.Amount));
        Assert.Equal(expected, wallet.Balance);
        Assert.Equal(succeeded, wallet.LastSequence);
        Assert.DoesNotContain(entries, e => e.BalanceAfter < 0);
        var running = 0m;
        foreach (var entry in entries) Assert.Equal(running += entry.Amount, entry.BalanceAfter);
    }
}

public sealed class WalletConcurrencyTestsOnSqlite(SqliteApp app, ITestOutputHelper output) : WalletConcurrencyTests(app, output), IClassFixture<SqliteApp>;

public sealed class WalletConcurrencyTestsOnPostgres(PostgresApp app, ITestOutputHelper output) : WalletConcurrencyTests(app, output), IClassFixture<PostgresApp>;
