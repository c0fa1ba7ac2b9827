using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Bench;

/// <summary>
/// Issue 6 §5 (issue 4 §7): 64 clients credit and debit one new organization's wallet at once through
/// POST /api/v1/organizations/{id}/wallet/adjustments, then the ledger is checked: nothing lost or doubled.
/// </summary>
public static class WalletBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var options = new BenchOptions("wallet", args);
        options.PrintHeader();
        var clients = options.Int("clients", 64);
        var operations = options.Int("operations", 100);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(options.Int("timeout", 900)));
        var ct = timeout.Token;

        await using var app = await AppUnderTest.StartAsync(options, ct);
        var operatorKey = await app.ApiKeyAsync(null, ct);
        using var api = app.Client(operatorKey);
        var organizationId = await NewOrganizationAsync(api, ct);
        var url = $"/api/v1/organizations/{organizationId}/wallet/adjustments";

        // One sequential round first: the per-request cost with nothing else running.
        var sequential = new List<double>();
        for (var i = 0; i < 200; i++)
        {
            var one = Stopwatch.StartNew();
            var response = await api.PostAsJsonAsync(url, new { direction = "Credit", amount = "0.01", reason = "warm-up" }, ct);
            if (response.StatusCode != HttpStatusCode.Created) throw new InvalidOperationException($"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}");
            if (i >= 50) sequential.Add(one.Elapsed.TotalMilliseconds);
        }
        sequential.Sort();
        const decimal warmUp = 200 * 0.01m;

        var latencies = new List<double>[clients];
        var clock = Stopwatch.StartNew();
        var results = await Task.WhenAll(Enumerable.Range(0, clients).Select(client => Task.Run(async () =>
        {
            using var http = app.Client(operatorKey);
            var random = new Random(client);
            var (accepted, refused, signed) = (0, 0, 0m);
            latencies[client] = new List<double>(operations);
            for (var i = 0; i < operations; i++)
            {
                // Slightly more debits than credits of similar size, so the balance keeps touching zero and some debits are refused.
                var credit = random.Next(100) < 48;
                var amount = random.Next(1, 2_000) / 100m;
                var one = Stopwatch.StartNew();
                var response = await http.PostAsJsonAsync(url, new { direction = credit ? "Credit" : "Debit", amount = amount.ToString(System.Globalization.CultureInfo.InvariantCulture), reason = "load" }, ct);
                latencies[client].Add(one.Elapsed.TotalMilliseconds);
                if (response.StatusCode == HttpStatusCode.Created) { accepted++; signed += credit ? amount : -amount; }
                else if (response.StatusCode == HttpStatusCode.Conflict) refused++;
                else throw new InvalidOperationException($"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}");
            }
            return (accepted, refused, signed);
        }, ct)));
        var elapsed = clock.Elapsed;
        Console.WriteLine($"Load average after the run: {BenchOptions.LoadAverage()}");

        var accepted = results.Sum(r => r.accepted);
        var refused = results.Sum(r => r.refused);
        var expected = warmUp + results.Sum(r => r.signed);
        await using var db = app.Db();
        var entries = await db.WalletEntries.IgnoreQueryFilters().AsNoTracking().Where(e => e.OrganizationId == organizationId)
            .OrderBy(e => e.Sequence).Select(e => new { e.Sequence, e.Amount, e.BalanceAfter }).ToListAsync(ct);
        var wallet = await db.Wallets.IgnoreQueryFilters().AsNoTracking().SingleAsync(w => w.OrganizationId == organizationId, ct);
        var total = accepted + 200;
        var running = 0m;
        var checks = new (string What, bool Ok)[]
        {
            ("entries = accepted requests", entries.Count == total),
            ("sequences are exactly 1..N", entries.Select(e => e.Sequence).SequenceEqual(Enumerable.Range(1, total).Select(n => (long)n))),
            ("ledger sum = sum of accepted requests", entries.Sum(e => e.Amount) == expected),
            ("wallet balance = sum of accepted requests", wallet.Balance == expected),
            ("wallet last sequence = N", wallet.LastSequence == total),
            ("no balance below zero, running totals match", entries.All(e => e.BalanceAfter >= 0 && (running += e.Amount) == e.BalanceAfter)),
        };

        var all = latencies.SelectMany(l => l).Order().ToList();
        var requests = clients * operations;
        Console.WriteLine($"| Database | Clients | Requests | Accepted | Refused (409) | Wall time | Requests/s | Median | p99 | Sequential (1 client) median | Nothing lost or doubled |");
        Console.WriteLine($"|---|---|---|---|---|---|---|---|---|---|---|");
        Console.WriteLine($"| {app.Provider} | {clients} | {requests:N0} | {accepted:N0} | {refused:N0} | {elapsed.TotalSeconds:F1} s | {requests / elapsed.TotalSeconds:N0} | " +
            $"{BenchOptions.Percentile(all, 50):F1} ms | {BenchOptions.Percentile(all, 99):F1} ms | {BenchOptions.Percentile(sequential, 50):F2} ms | {(checks.All(c => c.Ok) ? "yes" : "NO")} |");
        foreach (var (what, ok) in checks) Console.WriteLine($"  {(ok ? "ok  " : "FAIL")} {what}");
        return checks.All(c => c.Ok) ? 0 : 1;
    }

    private static async Task<Guid> NewOrganizationAsync(HttpClient api, CancellationToken ct)
    {
        var response = await api.PostAsJsonAsync("/api/v1/organizations", new
        {
            name = $"Wallet bench {Guid.NewGuid():N}",
            billingAddress = new { line1 = "1 Bench Road", city = "Leeds", postalCode = "LS1 1AA" },
            country = "GB", currency = "GBP", timeZone = "Europe/London", billingMode = "Prepaid",
            owner = new { name = "Bench Owner", email = $"owner-{Guid.NewGuid():N}@bench.test" },
        }, ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"Create organization: {(int)response.StatusCode}\n{body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetGuid();
    }
}
