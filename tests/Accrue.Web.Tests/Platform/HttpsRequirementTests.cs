using System.Collections.Concurrent;
using System.Net;
using Accrue.Web.Infrastructure.Security;
using Accrue.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Accrue.Web.Tests.Platform;

/// <summary>
/// Issue 15 A11: in Production over plain HTTP the start-up log warns, pages answer a readable "must be served over
/// HTTPS" page instead of antiforgery's 500, and HTTPS answers carry Strict-Transport-Security.
/// </summary>
public abstract class HttpsRequirementTests(AccrueApp app, LogSink log)
{
    // Not localhost: HSTS is never sent to loopback names.
    private HttpClient Client(string scheme) => app.CreateClient(new WebApplicationFactoryClientOptions
    {
        AllowAutoRedirect = false, HandleCookies = true, BaseAddress = new Uri($"{scheme}://billing.example.test"),
    });

    [Fact]
    public async Task Plain_http_pages_answer_a_readable_https_required_page_and_forms_no_500()
    {
        var http = Client("http");
        foreach (var path in new[] { "/account/signin", "/portal", "/console/organizations" })
        {
            var page = await http.GetAsync(path);
            Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
            Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
            var html = Http.Parse(await page.Content.ReadAsStringAsync());
            Assert.Equal(HttpsRequirement.Title, html.QuerySelector("h1")?.TextContent);
            Assert.False(page.Headers.Contains("Strict-Transport-Security"));
        }
        // A form posted over plain HTTP (the browser keeps no Secure cookie there): the same page, nothing else runs.
        var posted = await http.PostAsync("/account/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.Email"] = "owner@acme.test", ["Input.Password"] = Accrue.Web.Features.Demo.DemoData.Password,
        }));
        Assert.Equal(HttpStatusCode.BadRequest, posted.StatusCode);
        Assert.Contains("must be served over HTTPS", await posted.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(posted.Headers.Contains("Set-Cookie"));

        // Health checks and the API don't depend on cookies and answer as usual.
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/api/v1/organizations")).StatusCode);
    }

    [Fact]
    public async Task Https_answers_carry_hsts_directly_and_behind_a_proxy_that_forwards_the_scheme()
    {
        var https = Client("https");
        var page = await https.GetAsync("/account/signin");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("max-age=31536000", page.Headers.GetValues("Strict-Transport-Security").Single());

        // A TLS proxy on this host talks plain HTTP to the app and says the client used https. (Cookies are carried
        // by hand: the browser holds them for https, which the test client can't know.)
        var proxied = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false, BaseAddress = new Uri("http://billing.example.test") });
        proxied.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        var form = await proxied.GetAsync("/account/signin");
        Assert.Equal(HttpStatusCode.OK, form.StatusCode);
        Assert.Equal("max-age=31536000", form.Headers.GetValues("Strict-Transport-Security").Single());
        var token = Http.Parse(await form.Content.ReadAsStringAsync()).QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        var post = new HttpRequestMessage(HttpMethod.Post, "/account/signin")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["Input.Email"] = "owner@acme.test", ["Input.Password"] = Accrue.Web.Features.Demo.DemoData.Password, ["__RequestVerificationToken"] = token,
            }),
        };
        post.Headers.Add("Cookie", string.Join("; ", form.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0])));
        var signIn = await proxied.SendAsync(post);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Contains(signIn.Headers.GetValues("Set-Cookie"), c => c.StartsWith("accrue.auth=", StringComparison.Ordinal) && c.Contains("secure", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void The_start_up_log_warns_that_nothing_serves_https()
    {
        _ = app.Services; // started
        Assert.Contains(log.Messages, m => m.Level == LogLevel.Warning && m.Text.StartsWith("Accrue runs in Production over plain HTTP", StringComparison.Ordinal));
    }

    [Fact]
    public void Tls_counts_as_configured_with_an_https_address_an_https_public_url_or_a_known_proxy()
    {
        var none = new ForwardedHeadersSettings();
        Assert.True(HttpsRequirement.LacksTls(["http://0.0.0.0:8080"], null, none));
        Assert.True(HttpsRequirement.LacksTls([], "http://billing.example.test", none));
        Assert.False(HttpsRequirement.LacksTls(["http://0.0.0.0:8080", "https://0.0.0.0:8443"], null, none));
        Assert.False(HttpsRequirement.LacksTls(["http://0.0.0.0:8080"], "https://billing.example.test", none));
        Assert.False(HttpsRequirement.LacksTls(["http://0.0.0.0:8080"], null, new ForwardedHeadersSettings { KnownProxies = ["10.0.0.5"] }));
    }
}

/// <summary>Collects what the app logs, to read the start-up warning.</summary>
public sealed class LogSink : ILoggerProvider
{
    public sealed record Entry(LogLevel Level, string Category, string Text);

    private readonly ConcurrentQueue<Entry> _entries = new();
    public IReadOnlyList<Entry> Messages => [.. _entries];

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);
    public void Dispose() { }

    private sealed class Logger(LogSink sink, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel)) sink._entries.Enqueue(new Entry(logLevel, category, formatter(state, exception)));
        }
    }
}

public sealed class ProductionSqliteApp : SqliteApp
{
    public LogSink Log { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseEnvironment("Production");
        builder.ConfigureServices(s => s.AddSingleton<ILoggerProvider>(Log));
    }
}

public sealed class ProductionPostgresApp : PostgresApp
{
    public LogSink Log { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseEnvironment("Production");
        builder.ConfigureServices(s => s.AddSingleton<ILoggerProvider>(Log));
    }
}

public sealed class HttpsRequirementOnSqlite(ProductionSqliteApp app) : HttpsRequirementTests(app, app.Log), IClassFixture<ProductionSqliteApp>;

public sealed class HttpsRequirementOnPostgres(ProductionPostgresApp app) : HttpsRequirementTests(app, app.Log), IClassFixture<ProductionPostgresApp>;
