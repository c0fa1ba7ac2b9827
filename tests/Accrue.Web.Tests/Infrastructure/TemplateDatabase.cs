using System.Collections.Concurrent;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace Accrue.Web.Tests.Infrastructure;

/// <summary>
/// One migrated, demo-seeded database per provider and UTC hour, built once per test process by starting the app
/// on it (the production migrate-and-seed path), so each test class's app starts on a copy: migrate-on-start finds
/// nothing pending and the demo seed finds an operator and returns. Keyed by the hour because the seed uses the
/// clock: the demo organizations' local dates (New York, Berlin, Sydney) turn over on whole UTC hours. The SQLite
/// template is kept in memory; PostgreSQL templates are dropped when the test process exits.
/// </summary>
public static class TemplateDatabase
{
    private static readonly ConcurrentDictionary<DateTime, Lazy<Task<byte[]>>> SqliteTemplates = new();
    private static readonly ConcurrentDictionary<DateTime, Lazy<Task<string>>> PostgresTemplates = new();
    private static readonly ConcurrentQueue<Action> Cleanup = new();
    /// <summary>PostgreSQL copies one at a time: CREATE DATABASE refuses a template that another session is using.</summary>
    private static readonly Lock PostgresCopy = new();

    static TemplateDatabase() => AppDomain.CurrentDomain.ProcessExit += (_, _) =>
    {
        while (Cleanup.TryDequeue(out var clean))
        {
            try { clean(); }
            catch (NpgsqlException) { } // best effort: the test services are throwaway
        }
    };

    /// <summary>Creates the SQLite database file <paramref name="path"/> as a copy of this hour's template.</summary>
    public static void CopySqlite(string path)
    {
        var template = Template(SqliteTemplates, BuildSqliteAsync);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, template);
    }

    /// <summary>Creates <paramref name="database"/> on <paramref name="server"/> from this hour's template.</summary>
    public static void CopyPostgres(string server, string database)
    {
        var template = Template(PostgresTemplates, () => BuildPostgresAsync(server));
        lock (PostgresCopy)
        {
            using var connection = new NpgsqlConnection(server);
            connection.Open();
            using var create = new NpgsqlCommand($"CREATE DATABASE \"{database}\" TEMPLATE \"{template}\"", connection);
            create.ExecuteNonQuery();
        }
    }

    /// <summary>This hour's template in <paramref name="templates"/>, built on first use (once, whoever asks first).</summary>
    private static T Template<T>(ConcurrentDictionary<DateTime, Lazy<Task<T>>> templates, Func<Task<T>> build)
    {
        var now = DateTime.UtcNow;
        var hour = new DateTime(now.Year, now.Month, now.Day, now.Hour, 0, 0, DateTimeKind.Utc);
        var template = templates.GetOrAdd(hour, _ => new Lazy<Task<T>>(() => Task.Run(build)));
        // Task.Run above: the build blocks nowhere on the test's synchronization context.
        return template.Value.GetAwaiter().GetResult();
    }

    private static async Task<byte[]> BuildSqliteAsync()
    {
        var path = Path.Combine(Path.GetTempPath(), "accrue-tests", $"template-{Guid.NewGuid():N}.db");
        try
        {
            await SeedAsync("Sqlite", $"Data Source={path}");
            SqliteConnection.ClearAllPools();
            // Everything into the main file, so its bytes are the whole database (the last close removes the WAL).
            await using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
            {
                await connection.OpenAsync();
                await using var checkpoint = new SqliteCommand("PRAGMA wal_checkpoint(TRUNCATE)", connection);
                await checkpoint.ExecuteNonQueryAsync();
            }
            return await File.ReadAllBytesAsync(path);
        }
        finally
        {
            foreach (var file in new[] { path, path + "-wal", path + "-shm" }) File.Delete(file);
        }
    }

    private static async Task<string> BuildPostgresAsync(string server)
    {
        var database = $"accrue_template_{Guid.NewGuid():N}";
        Cleanup.Enqueue(() =>
        {
            NpgsqlConnection.ClearAllPools();
            using var connection = new NpgsqlConnection(server);
            connection.Open();
            using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", connection);
            drop.ExecuteNonQuery();
        });
        await SeedAsync("Postgres", new NpgsqlConnectionStringBuilder(server) { Database = database }.ToString());
        // No connection may stay open on a template.
        NpgsqlConnection.ClearAllPools();
        return database;
    }

    /// <summary>Starts the app once on <paramref name="connectionString"/>: it migrates and demo-seeds the database.</summary>
    private static async Task SeedAsync(string provider, string connectionString)
    {
        await using var app = new SeedingApp(provider, connectionString);
        _ = app.Services;
    }

    /// <summary>
    /// The app with the settings every test app shares, and none of its background services (outbox, webhooks,
    /// data-protection keys, the server), so the template holds exactly what migration and the seed wrote; each copy's
    /// app does its own start-up work as it did on a fresh database.
    /// </summary>
    private sealed class SeedingApp(string provider, string connectionString) : AccrueApp
    {
        public override string Provider => provider;
        public override string ConnectionString => connectionString;

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(s => s.RemoveAll<IHostedService>());
        }
    }
}
