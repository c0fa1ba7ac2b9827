using Accrue.Web.Data;
using Accrue.Web.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Accrue.Browser.Tests.Infrastructure;

/// <summary>
/// The whole app on a real Kestrel port, so a real browser can reach it: a fresh, migrated, demo-seeded
/// SQLite database of its own, emails to the SMTP test server (ACCRUE_TEST_SMTP_HOST/PORT).
/// Development environment, so cookies are not Secure-only and flow over plain http.
/// </summary>
public sealed class AccrueServer : WebApplicationFactory<Program>
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), "accrue-tests", $"browser-{Guid.NewGuid():N}.db");

    /// <summary>http://localhost:{port}: localhost (not 127.0.0.1), which browsers treat as a secure context.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    public void Start()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        UseKestrel(0);
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri($"http://localhost:{new Uri(address).Port}");
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("Database:Provider", "Sqlite");
        builder.UseSetting("Database:MigrateOnStart", "true");
        builder.UseSetting("ConnectionStrings:Accrue", $"Data Source={_path}");
        builder.UseSetting("Demo:Seed", "true");
        builder.UseSetting("Jobs:Schedule", "false");
        builder.UseSetting("Email:PollInterval", "00:00:00.200");
        builder.UseSetting("Email:Smtp:Host", Environment.GetEnvironmentVariable("ACCRUE_TEST_SMTP_HOST") ?? "");
        builder.UseSetting("Email:Smtp:Port", Environment.GetEnvironmentVariable("ACCRUE_TEST_SMTP_PORT") ?? "25");
        builder.UseSetting("Email:Smtp:Security", "None");
        builder.UseSetting("Email:PickupDirectory", Path.Combine(Path.GetTempPath(), "accrue-tests", "mail"));
        builder.UseSetting("Security:SignInPerIpPerMinute", "100000");
        builder.UseSetting("Security:SignInPerAccountPerMinute", "1000");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
    }

    /// <summary>Runs <paramref name="work"/> in a service scope as the system (no tenant filter): test setup only.</summary>
    public async Task<T> AsSystemAsync<T>(Func<IServiceProvider, Task<T>> work)
    {
        await using var scope = Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<CurrentActor>().Set(Actor.System);
        return await work(scope.ServiceProvider);
    }

    public Task<T> DbAsync<T>(Func<AccrueDb, Task<T>> work) => AsSystemAsync(services => work(services.GetRequiredService<AccrueDb>()));

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var file in new[] { _path, _path + "-wal", _path + "-shm" }) File.Delete(file);
    }
}
