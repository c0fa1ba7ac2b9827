using Accrue.Web.Data;
using Accrue.Web.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Accrue.Web.Tests.Infrastructure;

/// <summary>
/// The whole app over HTTP against a fresh, migrated, demo-seeded database of its own: one per test
/// class and provider, a copy of <see cref="TemplateDatabase"/> when the app would seed what the template holds
/// (<see cref="StartsOnTemplateCopy"/>). Tests create their own organizations and people (unique names and emails), so
/// tests in one class never see each other's rows. Emails go to the real SMTP test server that
/// scripts/test.sh starts (ACCRUE_TEST_SMTP_HOST/PORT).
/// </summary>
public abstract class AccrueApp : WebApplicationFactory<Program>
{
    public abstract string Provider { get; }
    public abstract string ConnectionString { get; }

    /// <summary>Extra settings a test class needs (e.g. a low rate limit).</summary>
    protected virtual IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>();

    /// <summary>The clock the app seeds the demo data with at start-up: the real one unless a subclass brings its own.</summary>
    protected virtual TimeProvider SeedClock => TimeProvider.System;

    /// <summary>
    /// Whether the app's database may be a copy of the template: no Demo: or Database: settings of its own, and it
    /// seeds with the real clock (a clocked app that a test moved before start-up seeds its own day on a fresh database).
    /// </summary>
    protected bool StartsOnTemplateCopy =>
        !Settings.Keys.Any(k => k.StartsWith("Demo:", StringComparison.OrdinalIgnoreCase) || k.StartsWith("Database:", StringComparison.OrdinalIgnoreCase))
        && (SeedClock.GetUtcNow() - TimeProvider.System.GetUtcNow()).Duration() < TimeSpan.FromSeconds(1);

    /// <summary>Creates the app's database as a copy of the template; apps without a database of their own do nothing.</summary>
    protected virtual void CopyTemplate() { }

    private int _databaseChosen;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // Once per app, when its host is built, just before it migrates and seeds.
        if (Interlocked.Exchange(ref _databaseChosen, 1) == 0 && StartsOnTemplateCopy) CopyTemplate();
        builder.UseEnvironment("Development");
        builder.UseSetting("Database:Provider", Provider);
        builder.UseSetting("Database:MigrateOnStart", "true");
        builder.UseSetting("ConnectionStrings:Accrue", ConnectionString);
        builder.UseSetting("Demo:Seed", "true");
        builder.UseSetting("Email:PollInterval", "00:00:00.200");
        builder.UseSetting("Email:Smtp:Host", Environment.GetEnvironmentVariable("ACCRUE_TEST_SMTP_HOST") ?? "");
        builder.UseSetting("Email:Smtp:Port", Environment.GetEnvironmentVariable("ACCRUE_TEST_SMTP_PORT") ?? "25");
        builder.UseSetting("Email:Smtp:Security", "None");
        builder.UseSetting("Email:PickupDirectory", Path.Combine(Path.GetTempPath(), "accrue-tests", "mail"));
        builder.UseSetting("Security:SignInPerIpPerMinute", "100000");
        builder.UseSetting("Security:SignInPerAccountPerMinute", "1000");
        // Tests fire requests faster than any integration should; RateLimitTests sets a low limit of its own.
        builder.UseSetting("RateLimits:PermitsPerMinute", "1000000");
        builder.UseSetting("RateLimits:Burst", "100000");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        // Tests run the billing run and the jobs themselves, as of the day they choose.
        builder.UseSetting("Jobs:Schedule", "false");
        foreach (var (key, value) in Settings) builder.UseSetting(key, value);
    }

    /// <summary>Where API clients send their requests: the in-memory test server, or a real socket (<see cref="KestrelSqliteApp"/>).</summary>
    public virtual Uri ApiBaseAddress => new("https://localhost");

    /// <summary>A browser-like client: cookies kept, redirects not followed, over https so Secure cookies flow.</summary>
    public HttpClient Browser() => CreateClient(new WebApplicationFactoryClientOptions
    {
        AllowAutoRedirect = false,
        HandleCookies = true,
        BaseAddress = new Uri("https://localhost"),
    });

    /// <summary>Runs <paramref name="work"/> against the database as the system (no tenant filter).</summary>
    public async Task<T> DbAsync<T>(Func<AccrueDb, Task<T>> work)
    {
        await using var scope = Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<CurrentActor>().Set(Actor.System);
        return await work(scope.ServiceProvider.GetRequiredService<AccrueDb>());
    }

    public Task<int> CountAsync<T>() where T : class => DbAsync(db => db.Set<T>().IgnoreQueryFilters().CountAsync());
}

public class SqliteApp : AccrueApp
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), "accrue-tests", $"{Guid.NewGuid():N}.db");

    public override string Provider => "Sqlite";
    public override string ConnectionString => $"Data Source={_path}";

    protected override void CopyTemplate() => TemplateDatabase.CopySqlite(_path);

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var file in new[] { _path, _path + "-wal", _path + "-shm" }) File.Delete(file);
        GC.SuppressFinalize(this);
    }
}

public class PostgresApp : AccrueApp
{
    private readonly string _database = $"accrue_test_{Guid.NewGuid():N}";
    private static string PostgresServer => Environment.GetEnvironmentVariable("ACCRUE_TEST_POSTGRES")
        ?? throw new InvalidOperationException("ACCRUE_TEST_POSTGRES is not set: run the tests with scripts/test.sh, which starts PostgreSQL.");

    public override string Provider => "Postgres";
    public override string ConnectionString => new NpgsqlConnectionStringBuilder(PostgresServer) { Database = _database }.ToString();

    protected override void CopyTemplate() => TemplateDatabase.CopyPostgres(PostgresServer, _database);

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(PostgresServer);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_database}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
        GC.SuppressFinalize(this);
    }
}
