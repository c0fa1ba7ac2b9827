using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.HttpOverrides;

namespace Accrue.Web.Infrastructure.Security;

/// <summary>Configuration section "ForwardedHeaders": proxies, besides this host's loopback, trusted to say the client's address and scheme.</summary>
public sealed class ForwardedHeadersSettings
{
    /// <summary>Addresses of TLS-terminating proxies, e.g. <c>10.0.0.5</c>.</summary>
    public string[] KnownProxies { get; set; } = [];
    /// <summary>Networks of such proxies in CIDR notation, e.g. <c>10.0.0.0/24</c>.</summary>
    public string[] KnownNetworks { get; set; } = [];

    public bool Any => KnownProxies.Length > 0 || KnownNetworks.Length > 0;
}

/// <summary>
/// Production needs HTTPS (issue 15 A11): its cookies are Secure and antiforgery refuses to work without TLS, so a
/// plain-HTTP deployment answered 500 on every form. Now the start-up log says so when nothing points to TLS, a
/// plain-HTTP page request gets a readable page that says the app must be served over HTTPS, and HTTPS answers
/// carry Strict-Transport-Security. The API, the health checks and provider webhooks are left alone: they need no
/// cookie, and refusing them would break internal callers without protecting anything.
/// </summary>
public static class HttpsRequirement
{
    public const string Warning = "Accrue runs in Production over plain HTTP: no HTTPS endpoint is configured (ASPNETCORE_URLS or Kestrel:Endpoints), "
        + "App:BaseUrl is not https://, and no proxy is listed in ForwardedHeaders:KnownProxies or KnownNetworks. Sign-in and every form need HTTPS "
        + "(Secure cookies): pages answer \"must be served over HTTPS\" until the app is served over TLS, directly or behind a proxy that sends "
        + "X-Forwarded-Proto: https (from this host's loopback, or listed in ForwardedHeaders:KnownProxies). Listening on {Addresses}.";

    public static WebApplicationBuilder AddHttpsRequirement(this WebApplicationBuilder builder)
    {
        builder.Services.Configure<ForwardedHeadersSettings>(builder.Configuration.GetSection("ForwardedHeaders"));
        builder.Services.AddHsts(o =>
        {
            o.MaxAge = TimeSpan.FromDays(365);
            o.IncludeSubDomains = false;
        });
        return builder;
    }

    /// <summary>
    /// The client's address and scheme as a trusted proxy forwards them (loopback always; others from
    /// configuration), then, in Production, HSTS on HTTPS answers and the HTTPS-required page for plain-HTTP pages.
    /// </summary>
    public static WebApplication UseForwardedHeadersAndHttps(this WebApplication app)
    {
        var settings = app.Configuration.GetSection("ForwardedHeaders").Get<ForwardedHeadersSettings>() ?? new();
        var options = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto };
        foreach (var proxy in settings.KnownProxies) options.KnownProxies.Add(IPAddress.Parse(proxy));
        foreach (var network in settings.KnownNetworks) options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
        app.UseForwardedHeaders(options);

        if (!app.Environment.IsProduction()) return app;
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            if (LacksTls(addresses, app.Configuration["App:BaseUrl"], settings))
                app.Logger.LogWarning(Warning, addresses.Count == 0 ? "(no address reported)" : string.Join(", ", addresses));
        });
        app.UseHsts();
        app.Use(async (context, next) =>
        {
            if (context.Request.IsHttps || Exempt(context.Request.Path))
            {
                await next();
                return;
            }
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            context.Response.ContentType = "text/html; charset=utf-8";
            context.Response.Headers.CacheControl = "no-store";
            context.Response.Headers.ContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'";
            context.Response.Headers.XContentTypeOptions = "nosniff";
            await context.Response.WriteAsync(Page);
        });
        return app;
    }

    /// <summary>Nothing points to TLS: no https address, no https public URL, no proxy configured.</summary>
    public static bool LacksTls(IEnumerable<string> addresses, string? baseUrl, ForwardedHeadersSettings forwarded) =>
        !addresses.Any(a => a.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        && !(baseUrl?.StartsWith("https://", StringComparison.OrdinalIgnoreCase) ?? false)
        && !forwarded.Any;

    private static bool Exempt(PathString path) =>
        path.StartsWithSegments("/api") || path.StartsWithSegments("/healthz") || path.StartsWithSegments("/webhooks") || path.StartsWithSegments("/openapi");

    public const string Title = "This app must be served over HTTPS";

    private const string Page = """
        <!DOCTYPE html>
        <html lang="en">
        <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>This app must be served over HTTPS</title></head>
        <body>
        <main>
        <h1>This app must be served over HTTPS</h1>
        <p>This page was requested over plain HTTP. Accrue signs people in with secure cookies, which browsers send only over HTTPS, so its pages and forms work only there.</p>
        <p>Open the same address with <strong>https://</strong>. If that doesn't work, tell whoever runs this server.</p>
        <h2>For the administrator</h2>
        <ul>
        <li>Serve HTTPS directly (an <code>https://</code> address in <code>ASPNETCORE_URLS</code> or <code>Kestrel:Endpoints</code>, with a certificate), or</li>
        <li>put a TLS-terminating proxy in front that sends <code>X-Forwarded-Proto: https</code>; a proxy on another host must be listed in <code>ForwardedHeaders__KnownProxies__0</code> (or <code>ForwardedHeaders__KnownNetworks__0</code>), and</li>
        <li>set <code>App__BaseUrl</code> to the public <code>https://</code> address.</li>
        </ul>
        <p>The start-up log carries the same advice.</p>
        </main>
        </body>
        </html>
        """;
}
