using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace Accrue.Bench;

/// <summary>
/// Issue 6 §5: <c>wrk --latency</c> on loopback against the bare /healthz (the baseline), the portal dashboard
/// with a signed-in cookie and API reads with an organization's API key: requests/s, median and p99 latency.
/// </summary>
public static partial class HttpBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var options = new BenchOptions("http", args);
        options.PrintHeader();
        var seconds = options.Int("seconds", 10);
        var threads = options.Int("threads", 2);
        var connections = options.Int("connections", 32);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(options.Int("timeout", 600)));
        var ct = timeout.Token;

        await using var app = await AppUnderTest.StartAsync(options, ct);
        var organizationId = await app.OrganizationIdAsync("Acme Prepaid Ltd", ct);
        var key = await app.ApiKeyAsync(organizationId, ct);
        var cookie = await SignInAsync(app, "owner@acme.test", ct);

        // Behind TLS in production the proxy sets X-Forwarded-Proto; the auth cookie is Secure-only there.
        const string forwarded = "X-Forwarded-Proto: https";
        var targets = new (string Name, string Path, string[] Headers)[]
        {
            ("Bare /healthz (baseline)", "/healthz", []),
            ("Portal dashboard (signed in)", "/portal", [forwarded, $"Cookie: {cookie}"]),
            ("API: GET wallet", $"/api/v1/organizations/{organizationId}/wallet", [$"Authorization: Bearer {key}"]),
            ("API: GET unit balances", $"/api/v1/organizations/{organizationId}/units", [$"Authorization: Bearer {key}"]),
            ("API: GET subscriptions (first page)", $"/api/v1/organizations/{organizationId}/subscriptions", [$"Authorization: Bearer {key}"]),
        };

        var rows = new List<string>();
        foreach (var (name, path, headers) in targets)
        {
            using (var check = app.Client())
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, path);
                foreach (var h in headers) request.Headers.TryAddWithoutValidation(h[..h.IndexOf(':', StringComparison.Ordinal)], h[(h.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim());
                using var response = await check.SendAsync(request, ct);
                if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"{path} answered {(int)response.StatusCode}, not 200.");
            }
            var wrk = new List<string> { "-t", $"{threads}", "-c", $"{connections}", "-d", $"{seconds}s", "--latency" };
            foreach (var h in headers) wrk.AddRange(["-H", h]);
            wrk.Add(new Uri(app.Url, path).ToString());
            var display = "wrk " + string.Join(' ', wrk.Select(a => a.Contains(' ') ? $"'{(a.StartsWith("Authorization", StringComparison.Ordinal) ? "Authorization: Bearer acr_…" : a.StartsWith("Cookie", StringComparison.Ordinal) ? "Cookie: accrue.auth=…" : a)}'" : a));
            Console.WriteLine(display);
            var output = await RunWrkAsync(wrk, ct);
            var rps = Number(RequestsPerSecond(), output);
            var median = Latency(output, "50%");
            var p99 = Latency(output, "99%");
            var errors = NonSuccess().Match(output) is { Success: true } m ? m.Groups[1].Value : "0";
            rows.Add($"| {name} | `{path.Replace(organizationId.ToString(), "{orgId}", StringComparison.Ordinal)}` | {rps:N0} | {median:F2} ms | {p99:F2} ms | {errors} |");
            Console.WriteLine($"  load average {BenchOptions.LoadAverage()}; {rps:N0} requests/s, median {median:F2} ms, p99 {p99:F2} ms, non-2xx {errors}");
        }

        Console.WriteLine();
        Console.WriteLine($"{app.Provider}; wrk -t {threads} -c {connections} -d {seconds}s --latency on loopback, app and wrk on the same machine.");
        Console.WriteLine("| Target | Path | Requests/s | Median | p99 | Non-2xx |");
        Console.WriteLine("|---|---|---|---|---|---|");
        foreach (var row in rows) Console.WriteLine(row);
        return 0;
    }

    /// <summary>Signs in through the sign-in form like a browser (antiforgery token and cookie) and returns the Cookie header to send.</summary>
    private static async Task<string> SignInAsync(AppUnderTest app, string email, CancellationToken ct)
    {
        using var http = app.Client();
        http.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        using var page = await http.GetAsync("/account/signin", ct);
        var html = await page.Content.ReadAsStringAsync(ct);
        var token = AntiforgeryToken().Match(html).Groups[1].Value;
        var cookies = Cookies(page);
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.Email"] = email, ["Input.Password"] = Accrue.Web.Features.Demo.DemoData.Password, ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token),
        });
        using var post = new HttpRequestMessage(HttpMethod.Post, "/account/signin") { Content = form };
        post.Headers.Add("Cookie", string.Join("; ", cookies));
        using var signedIn = await http.SendAsync(post, ct);
        var auth = Cookies(signedIn).Where(c => c.StartsWith("accrue.auth", StringComparison.Ordinal)).ToList();
        if (signedIn.StatusCode != HttpStatusCode.Redirect || auth.Count == 0)
            throw new InvalidOperationException($"Sign-in as {email} failed: {(int)signedIn.StatusCode}.");
        return string.Join("; ", cookies.Where(c => !c.StartsWith("accrue.auth", StringComparison.Ordinal)).Concat(auth));
    }

    private static List<string> Cookies(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var values) ? values.Select(v => v.Split(';', 2)[0]).ToList() : [];

    private static async Task<string> RunWrkAsync(IEnumerable<string> args, CancellationToken ct)
    {
        var start = new ProcessStartInfo("wrk") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("wrk is not installed (apt-get install -y wrk).");
        var output = await process.StandardOutput.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        if (process.ExitCode != 0) throw new InvalidOperationException($"wrk failed: {await process.StandardError.ReadToEndAsync(ct)}");
        return output;
    }

    private static double Number(Regex pattern, string output) =>
        double.Parse(pattern.Match(output).Groups[1].Value, CultureInfo.InvariantCulture);

    /// <summary>wrk prints latencies as 812.00us, 2.31ms or 1.02s.</summary>
    private static double Latency(string output, string percentile)
    {
        var match = Regex.Match(output, $@"^\s*{Regex.Escape(percentile)}\s+([\d.]+)(us|ms|s)\s*$", RegexOptions.Multiline);
        var value = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        return match.Groups[2].Value switch { "us" => value / 1000, "s" => value * 1000, _ => value };
    }

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")]
    private static partial Regex RequestsPerSecond();

    [GeneratedRegex(@"Non-2xx or 3xx responses:\s+(\d+)")]
    private static partial Regex NonSuccess();

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
