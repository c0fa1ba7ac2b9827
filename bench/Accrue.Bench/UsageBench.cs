using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using Accrue.Domain.Usage;
using Accrue.Web.Features.Usage;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Bench;

/// <summary>
/// Issue 6 §5: usage events/s through POST /api/v1/organizations/{id}/usage in batches of 1,000, with a share
/// of ids sent before (or twice in a batch) mixed in, from several parallel clients. Target: 50,000 events/s on SQLite.
/// </summary>
public static class UsageBench
{
    private const int BatchSize = UsageIngestion.MaxEvents;
    /// <summary>
    /// Warm-up in two rounds, each followed by a pause until the app is idle: the runtime recompiles a method optimized
    /// after 30 calls, first with instrumentation and again after 30 more with the profile gathered, each time in the
    /// background — on two busy cores a run measured right after start-up paid for that compilation, not the endpoint.
    /// </summary>
    private const int WarmUpRounds = 2, WarmUpBatchesPerRound = 50, WarmUpBatches = WarmUpRounds * WarmUpBatchesPerRound;

    public static async Task<int> RunAsync(string[] args)
    {
        var options = new BenchOptions("usage", args);
        options.PrintHeader();
        var clients = options.Int("clients", 4);
        var batches = options.Int("batches", 200);
        var duplicates = options.Double("duplicates", 0.1);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(options.Int("timeout", 900)));
        var ct = timeout.Token;

        await using var app = await AppUnderTest.StartAsync(options, ct);
        var organizationId = await app.OrganizationIdAsync("Acme Prepaid Ltd", ct);
        var key = await app.ApiKeyAsync(organizationId, ct);
        await using (var db = app.Db())
        {
            var ledger = new UnitLedger(db, TimeProvider.System);
            foreach (var meter in (string[])["ocr", "whatsapp"])
                await ledger.CreditAsync(organizationId, meter, UnitEntryKind.Adjustment, 1_000_000_000, "Usage benchmark", uniqueKey: null, ct: ct);
        }

        var url = $"/api/v1/organizations/{organizationId}/usage";
        var (bodies, distinct) = Batches(batches + WarmUpBatches, duplicates);
        using var warmUpClient = app.Client(key);
        var settle = TimeSpan.FromSeconds(options.Int("settle", 60));
        var settled = new List<string>();
        for (var i = 0; i < WarmUpBatches; i++)
        {
            await SendAsync(warmUpClient, url, bodies[i], ct);
            if ((i + 1) % WarmUpBatchesPerRound == 0) settled.Add($"{(await app.SettleAsync(settle, ct)).TotalSeconds:F0} s");
        }
        var warmUpIds = Batches(WarmUpBatches, duplicates).Distinct;
        Console.WriteLine($"Warm-up: {WarmUpRounds} × {WarmUpBatchesPerRound} batches, each round followed by a pause until the app was idle: {string.Join(", ", settled)} (--settle: at most {settle.TotalSeconds:F0} s)");

        var latencies = new List<double>[clients];
        var outcomes = new long[4];
        var next = WarmUpBatches - 1;
        var cpu = app.ProcessorTime;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(client => Task.Run(async () =>
        {
            using var http = app.Client(key);
            latencies[client] = [];
            int batch;
            while ((batch = Interlocked.Increment(ref next)) < bodies.Count)
            {
                var one = Stopwatch.StartNew();
                var counts = await SendAsync(http, url, bodies[batch], ct);
                latencies[client].Add(one.Elapsed.TotalMilliseconds);
                for (var o = 0; o < 4; o++) Interlocked.Add(ref outcomes[o], counts[o]);
            }
        }, ct)));
        var elapsed = clock.Elapsed;
        cpu = app.ProcessorTime - cpu;
        Console.WriteLine($"Load average after the run: {BenchOptions.LoadAverage()}");
        Console.WriteLine($"App CPU: {cpu.TotalSeconds:F1} s in {elapsed.TotalSeconds:F1} s ({cpu / elapsed:P0} of one core), {cpu.TotalMilliseconds / batches:F1} ms per batch");

        var events = (long)batches * BatchSize;
        await using var check = app.Db();
        var stored = await check.UsageEvents.IgnoreQueryFilters().LongCountAsync(u => u.OrganizationId == organizationId, ct);
        var used = -await check.UnitEntries.IgnoreQueryFilters().Where(e => e.OrganizationId == organizationId && e.Kind == UnitEntryKind.Usage).SumAsync(e => e.Quantity, ct);
        var quantities = await check.UsageEvents.IgnoreQueryFilters().Where(u => u.OrganizationId == organizationId).SumAsync(u => u.Quantity, ct);
        var accepted = outcomes[(int)UsageOutcome.Accepted] + outcomes[(int)UsageOutcome.Overage];
        var checks = new (string What, bool Ok)[]
        {
            ("every event answered", outcomes.Sum() == events),
            ("nothing refused", outcomes[(int)UsageOutcome.Refused] == 0),
            ("stored events = distinct ids sent", stored == distinct),
            ("accepted in the measured run = distinct ids not sent in the warm-up", accepted == distinct - warmUpIds),
            ("units drained = sum of stored quantities", used == quantities),
        };

        var all = latencies.SelectMany(l => l).Order().ToList();
        Console.WriteLine("| Database | Clients | Batches × events | Duplicates sent | Wall time | Events/s | Batch median | Batch p99 | Checks |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|");
        Console.WriteLine($"| {app.Provider} | {clients} | {batches:N0} × {BatchSize:N0} | {outcomes[(int)UsageOutcome.Duplicate]:N0} | {elapsed.TotalSeconds:F1} s | " +
            $"{events / elapsed.TotalSeconds:N0} | {BenchOptions.Percentile(all, 50):F0} ms | {BenchOptions.Percentile(all, 99):F0} ms | {(checks.All(c => c.Ok) ? "ok" : "FAILED")} |");
        foreach (var (what, ok) in checks) Console.WriteLine($"  {(ok ? "ok  " : "FAIL")} {what}");
        return checks.All(c => c.Ok) ? 0 : 1;
    }

    /// <summary>
    /// Request bodies, serialized up front so the client spends its CPU on sending. About <paramref name="duplicates"/>
    /// of the events repeat an id sent before, in an earlier batch or earlier in the same one.
    /// </summary>
    private static (List<byte[]> Bodies, long Distinct) Batches(int count, double duplicates)
    {
        var random = new Random(42);
        var at = DateTimeOffset.UtcNow.AddMinutes(-1);
        var meters = (string[])["ocr", "whatsapp"];
        var bodies = new List<byte[]>(count);
        var sent = new List<string>();
        for (var b = 0; b < count; b++)
        {
            var events = new object[BatchSize];
            for (var i = 0; i < BatchSize; i++)
            {
                string id;
                if (sent.Count > 0 && random.NextDouble() < duplicates) id = sent[random.Next(sent.Count)];
                else sent.Add(id = $"evt-{b}-{i}");
                events[i] = new { id, meter = meters[i % 2], quantity = 1 + (i % 3), timestamp = at, reference = "bench" };
            }
            bodies.Add(JsonSerializer.SerializeToUtf8Bytes(new { events }, JsonSerializerOptions.Web));
        }
        return (bodies, sent.Count);
    }

    private static async Task<long[]> SendAsync(HttpClient http, string url, byte[] body, CancellationToken ct)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await http.PostAsync(url, content, ct);
        var text = await response.Content.ReadAsByteArrayAsync(ct);
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{(int)response.StatusCode}: {System.Text.Encoding.UTF8.GetString(text)}");
        var counts = new long[4];
        using var json = JsonDocument.Parse(text);
        foreach (var result in json.RootElement.GetProperty("results").EnumerateArray())
        {
            var outcome = result.GetProperty("outcome");
            counts[outcome.ValueKind == JsonValueKind.Number ? outcome.GetInt32() : (int)Enum.Parse<UsageOutcome>(outcome.GetString()!)]++;
        }
        return counts;
    }
}
