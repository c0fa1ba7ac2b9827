using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Accrue.Web.Data;
using Accrue.Web.Infrastructure.Security;
using Accrue.Web.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Accrue.Bench;

/// <summary>
/// The built Accrue.Web started as a child process — a real Kestrel socket on a free loopback port — on a
/// fresh, migrated and demo-seeded database: a new SQLite file, or a new database on the PostgreSQL server
/// given by <c>--postgres</c> (created here and dropped afterwards).
/// </summary>
public sealed class AppUnderTest : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _workDirectory;
    private readonly string? _postgresAdmin;
    private readonly string? _postgresDatabase;

    private AppUnderTest(Process process, Uri url, string workDirectory, string provider, string connectionString, string? postgresAdmin, string? postgresDatabase)
    {
        (_process, Url, _workDirectory, Provider, ConnectionString, _postgresAdmin, _postgresDatabase) =
            (process, url, workDirectory, provider, connectionString, postgresAdmin, postgresDatabase);
    }

    public Uri Url { get; }
    public string Provider { get; }
    public string ConnectionString { get; }
    public bool IsPostgres => _postgresDatabase is not null;
    public int ProcessId => _process.Id;

    /// <summary>CPU time the app has used so far, user and system.</summary>
    public TimeSpan ProcessorTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    public static async Task<AppUnderTest> StartAsync(BenchOptions options, CancellationToken ct)
    {
        var root = BenchOptions.RepositoryRoot();
        // The web project is built by the bench's ProjectReference, in the same configuration.
        var configuration = Path.GetRelativePath(Path.Combine(root, "bench", "Accrue.Bench"), AppContext.BaseDirectory);
        var webProject = Path.Combine(root, "src", "Accrue.Web");
        var dll = Path.Combine(webProject, configuration, "Accrue.Web.dll");
        if (!File.Exists(dll)) throw new InvalidOperationException($"{dll} is missing; build the solution first.");

        var work = Directory.CreateTempSubdirectory("accrue-bench-").FullName;
        string provider, connectionString;
        string? admin = null, database = null;
        if (options.Postgres is { } postgres)
        {
            admin = postgres;
            database = $"accrue_bench_{Environment.ProcessId}_{DateTime.UtcNow:HHmmss}";
            await using (var connection = new NpgsqlConnection(admin))
            {
                await connection.OpenAsync(ct);
                await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database}\"", connection);
                await create.ExecuteNonQueryAsync(ct);
            }
            connectionString = new NpgsqlConnectionStringBuilder(admin) { Database = database }.ConnectionString;
            provider = "PostgreSQL";
        }
        else
        {
            connectionString = $"Data Source={Path.Combine(work, "accrue.db")}";
            provider = "SQLite";
        }

        var port = FreePort();
        var url = new Uri($"http://127.0.0.1:{port}");
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = work, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(dll);
        start.Environment["ASPNETCORE_CONTENTROOT"] = webProject;
        start.Environment["ASPNETCORE_URLS"] = url.ToString();
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ConnectionStrings__Accrue"] = connectionString;
        start.Environment["Database__Provider"] = options.Postgres is null ? "Sqlite" : "Postgres";
        start.Environment["Database__MigrateOnStart"] = "true";
        start.Environment["Demo__Seed"] = "true";
        start.Environment["Email__PickupDirectory"] = Path.Combine(work, "mail");
        start.Environment["Email__Smtp__Host"] = "";
        // Load, not limits, is what the benchmarks measure: the per-key rate limit is lifted.
        start.Environment["RateLimits__PermitsPerMinute"] = "100000000";
        start.Environment["RateLimits__Burst"] = "100000000";
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start Accrue.Web.");
        var log = new StreamWriter(Path.Combine(work, "app.log")) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var app = new AppUnderTest(process, url, work, provider, connectionString, admin, database);
        using var http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
                throw new InvalidOperationException($"Accrue.Web exited with {process.ExitCode}; see {Path.Combine(work, "app.log")}.");
            try
            {
                if ((await http.GetAsync("/healthz", ct)).IsSuccessStatusCode) break;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested) { }
            if (deadline.Elapsed > TimeSpan.FromMinutes(3)) { await app.DisposeAsync(); throw new TimeoutException("Accrue.Web did not answer /healthz within 3 minutes."); }
            await Task.Delay(250, ct);
        }
        Console.WriteLine($"Accrue.Web (pid {process.Id}) on {url} with {provider}, started in {deadline.Elapsed.TotalSeconds:F1} s; log: {Path.Combine(work, "app.log")}");
        return app;
    }

    /// <summary>A context on the app's database acting as the system (no HTTP request), for arranging and checking data.</summary>
    public AccrueDb Db()
    {
        var actor = new CurrentActor(new HttpContextAccessor());
        return IsPostgres
            ? new PostgresAccrueDb(new DbContextOptionsBuilder<PostgresAccrueDb>().UseNpgsql(ConnectionString).Options, actor)
            : new SqliteAccrueDb(new DbContextOptionsBuilder<SqliteAccrueDb>().UseSqlite(ConnectionString + ";Default Timeout=60").Options, actor);
    }

    /// <summary>A new API key written straight to the database, as the console would: operator-wide when <paramref name="organizationId"/> is null.</summary>
    public async Task<string> ApiKeyAsync(Guid? organizationId, CancellationToken ct)
    {
        var (key, plaintext) = ApiKeys.Create($"bench {Guid.NewGuid():N}", organizationId, null);
        await using var db = Db();
        db.ApiKeys.Add(key);
        await db.SaveChangesAsync(ct);
        return plaintext;
    }

    public async Task<Guid> OrganizationIdAsync(string name, CancellationToken ct)
    {
        await using var db = Db();
        return await db.Organizations.IgnoreQueryFilters().Where(o => o.Name == name).Select(o => o.Id).SingleAsync(ct);
    }

    /// <summary>
    /// Waits until the app is idle (under 5 % of a core over a second), at most <paramref name="limit"/>. After start-up and
    /// after a warm-up the runtime recompiles what ran hot into optimized code, in the background, for tens of seconds on two
    /// busy cores (dotnet-counters showed ~0.5 s of JIT per second); a run measured meanwhile measures that, not the endpoint.
    /// </summary>
    public async Task<TimeSpan> SettleAsync(TimeSpan limit, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < limit)
        {
            var before = ProcessorTime;
            await Task.Delay(TimeSpan.FromSeconds(1), ct);
            if (ProcessorTime - before < TimeSpan.FromMilliseconds(50)) break;
        }
        return clock.Elapsed;
    }

    public HttpClient Client(string? bearer = null)
    {
        var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256, AllowAutoRedirect = false, UseCookies = false })
        { BaseAddress = Url, Timeout = TimeSpan.FromMinutes(2) };
        if (bearer is not null) client.DefaultRequestHeaders.Authorization = new("Bearer", bearer);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        if (_postgresAdmin is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(_postgresAdmin);
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_postgresDatabase}\" WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_workDirectory, recursive: true); }
        catch (IOException) { }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
