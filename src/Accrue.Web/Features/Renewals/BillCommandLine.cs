using System.Diagnostics;
using System.Globalization;
using Accrue.Web.Data;

namespace Accrue.Web.Features.Renewals;

/// <summary>
/// <c>dotnet run --project src/Accrue.Web -- bill [--as-of 2027-01-01]</c>: the billing run on demand,
/// with a progress bar and a summary. Without a date it bills as of each organization's today.
/// </summary>
public static class BillCommandLine
{
    public static async Task<int> RunAsync(WebApplication app)
    {
        DateOnly? asOf = null;
        if (app.Configuration["as-of"] is { Length: > 0 } text)
        {
            if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            {
                System.Console.Error.WriteLine($"--as-of takes a date as yyyy-MM-dd, not '{text}'.");
                return 2;
            }
            asOf = day;
        }
        await Cli.PrepareDatabaseAsync(app);
        await using var scope = app.Services.CreateAsyncScope();
        var runner = scope.ServiceProvider.GetRequiredService<BillingRunner>();
        var clock = Stopwatch.StartNew();
        System.Console.WriteLine($"Billing run as of {(asOf is { } d ? d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "each organization's today")} ({scope.ServiceProvider.GetRequiredService<AccrueDb>().Database.ProviderName})");
        var bar = new ProgressBar(clock);
        var run = await runner.RunAsync(asOf, BillingTriggers.CommandLine, bar, app.Lifetime.ApplicationStopping);
        bar.Finish();
        var seconds = clock.Elapsed.TotalSeconds;
        System.Console.WriteLine(FormattableString.Invariant($"Finished in {seconds:0.0} s."));
        foreach (var (label, count) in new[] { ("renewed", run.Renewed), ("invoiced", run.Invoiced), ("failed", run.Failed), ("expired", run.Expired), ("skipped", run.Skipped) })
            System.Console.WriteLine(FormattableString.Invariant($"  {label,-9}{count,12:N0}"));
        return 0;
    }

    /// <summary>A bar redrawn in place on a terminal; one line per tenth when the output is a file or a pipe.</summary>
    private sealed class ProgressBar(Stopwatch clock) : IProgress<BillingProgress>
    {
        private int _lastTenth = -1;

        public void Report(BillingProgress value)
        {
            var share = value.Total == 0 ? 1 : (double)value.Done / value.Total;
            var rate = clock.Elapsed.TotalSeconds > 0 ? value.Done / clock.Elapsed.TotalSeconds : 0;
            var filled = (int)(share * 30);
            var line = FormattableString.Invariant($"[{new string('#', filled)}{new string('.', 30 - filled)}] {share,4:P0} {value.Done:N0}/{value.Total:N0}  {rate:N0} subscriptions/s");
            if (!System.Console.IsOutputRedirected) System.Console.Write($"\r{line}");
            else if ((int)(share * 10) > _lastTenth)
            {
                _lastTenth = (int)(share * 10);
                System.Console.WriteLine(line);
            }
        }

        public void Finish()
        {
            if (!System.Console.IsOutputRedirected) System.Console.WriteLine();
        }
    }
}
