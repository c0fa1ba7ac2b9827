using System.Net;
using Accrue.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Accrue.Web.Tests.Infrastructure;

/// <summary>
/// Fault points that tests arm: pause at every step (so a cut-off connection lands in the middle of the
/// work), or throw once at a chosen one. The pause waits on the token the work was given, so work that
/// would let the client's hang-up cancel it fails here.
/// </summary>
public sealed class TestFaults : FaultPoints
{
    private string? _throwAt;

    public TimeSpan Pause { get; set; }

    public void ThrowOnceAt(string point) => _throwAt = point;

    public void Reset() => (_throwAt, Pause) = (null, TimeSpan.Zero);

    public override async ValueTask ReachedAsync(string point, CancellationToken ct)
    {
        if (Pause > TimeSpan.Zero) await Task.Delay(Pause, ct);
        var armed = Volatile.Read(ref _throwAt);
        if (armed == point && ReferenceEquals(Interlocked.CompareExchange(ref _throwAt, null, armed), armed))
            throw new InvalidOperationException($"Test fault at {point}.");
    }
}

/// <summary>An app that listens on a real loopback socket, so tests can cut connections; API clients go through it.</summary>
public interface IKestrelApp
{
    TestFaults Faults { get; }
    int Port { get; }
}

internal static class KestrelHosting
{
    public static void UseFaults(IWebHostBuilder builder, TestFaults faults) =>
        builder.ConfigureTestServices(s => s.AddSingleton<FaultPoints>(faults));

    public static Uri Address(IServiceProvider services) =>
        new(services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
}

/// <summary>The app on Kestrel at 127.0.0.1 (a free port) with a SQLite database of its own.</summary>
public sealed class KestrelSqliteApp : SqliteApp, IKestrelApp
{
    public KestrelSqliteApp() => UseKestrel(k => k.Listen(IPAddress.Loopback, 0));

    public TestFaults Faults { get; } = new();
    public int Port => ApiBaseAddress.Port;
    public override Uri ApiBaseAddress => KestrelHosting.Address(Services);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        KestrelHosting.UseFaults(builder, Faults);
    }
}

/// <summary>The same on PostgreSQL.</summary>
public sealed class KestrelPostgresApp : PostgresApp, IKestrelApp
{
    public KestrelPostgresApp() => UseKestrel(k => k.Listen(IPAddress.Loopback, 0));

    public TestFaults Faults { get; } = new();
    public int Port => ApiBaseAddress.Port;
    public override Uri ApiBaseAddress => KestrelHosting.Address(Services);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        KestrelHosting.UseFaults(builder, Faults);
    }
}
