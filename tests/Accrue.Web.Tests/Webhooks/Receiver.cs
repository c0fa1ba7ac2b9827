using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Accrue.Web.Tests.Webhooks;

/// <summary>A real HTTP server on a free loopback port that records every webhook POST and answers as told.</summary>
public sealed class Receiver : IAsyncDisposable
{
    public sealed record Request(IReadOnlyDictionary<string, string> Headers, string Body, DateTimeOffset At);

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Request> _requests = new();
    private int _count;

    private Receiver(WebApplication app) => _app = app;

    public string Url { get; private set; } = "";
    public IReadOnlyList<Request> Requests => _requests.ToList();

    /// <summary>
    /// <paramref name="answer"/> maps the 1-based request number to the status code to answer;
    /// <paramref name="delay"/> to how long to wait before answering.
    /// </summary>
    public static async Task<Receiver> StartAsync(Func<int, int>? answer = null, Func<int, TimeSpan>? delay = null, string? reasonPhrase = null, string? body = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new Receiver(app);
        app.MapPost("/hook", async (HttpContext context) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync();
            receiver._requests.Enqueue(new Request(context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase), body, DateTimeOffset.UtcNow));
            var n = Interlocked.Increment(ref receiver._count);
            if (delay?.Invoke(n) is { } wait && wait > TimeSpan.Zero)
            {
                try { await Task.Delay(wait, context.RequestAborted); }
                catch (OperationCanceledException) { return; }
            }
            context.Response.StatusCode = answer?.Invoke(n) ?? 200;
            if (reasonPhrase is not null) context.Features.Get<IHttpResponseFeature>()!.ReasonPhrase = reasonPhrase;
            if (body is not null) await context.Response.WriteAsync(body);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.Url = $"{address.TrimEnd('/')}/hook";
        return receiver;
    }

    /// <summary>A loopback port nothing listens on (connections to it are refused).</summary>
    public static int ClosedPort()
    {
        var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
