using System.Globalization;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Accrue.Web.Data;

/// <summary>
/// A statement prepared straight on SQLite's handle, for bulk writes (the billing run, usage events). Values
/// stay bound between executions and are bound again only when they change, so a column that is the
/// same for a whole batch (the organization, its billing address, the invoice lines of one price)
/// costs nothing per row; ADO.NET binds every parameter on every execution. Values are written the
/// way EF Core stores them on SQLite: upper-case text Guids, ISO dates, decimals as invariant text.
/// </summary>
public sealed class SqliteStatement : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;
    private readonly object?[] _bound;

    public SqliteStatement(SqliteConnection connection, string sql)
    {
        _db = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        SqliteException.ThrowExceptionForRC(raw.sqlite3_prepare_v2(_db, sql, out _statement), _db);
        _bound = new object?[raw.sqlite3_bind_parameter_count(_statement) + 1];
    }

    public void Bind(int index, string? value)
    {
        if (value is not null && value.Equals(_bound[index] as string, StringComparison.Ordinal)) return;
        if (value is null) raw.sqlite3_bind_null(_statement, index);
        else raw.sqlite3_bind_text(_statement, index, value);
        _bound[index] = value;
    }

    public void Bind(int index, long? value)
    {
        if (value is not null && _bound[index] is long bound && bound == value) return;
        if (value is { } v) raw.sqlite3_bind_int64(_statement, index, v);
        else raw.sqlite3_bind_null(_statement, index);
        _bound[index] = value;
    }

    public void Bind(int index, long value) => Bind(index, (long?)value);
    public void Bind(int index, Guid? value) => Bind(index, value is { } id ? Text(id) : null);
    public void Bind(int index, DateOnly? value) => Bind(index, value?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
    public void Bind(int index, DateTimeOffset? value) => Bind(index, value?.UtcTicks);
    public void Bind(int index, decimal value) => Bind(index, value.ToString("0.0###########################", CultureInfo.InvariantCulture));

    /// <summary>Runs the statement with what is bound and answers how many rows it changed; a broken constraint throws as ADO.NET would.</summary>
    public int Execute()
    {
        var rc = raw.sqlite3_step(_statement);
        try
        {
            if (rc != raw.SQLITE_DONE) SqliteException.ThrowExceptionForRC(rc, _db);
        }
        finally
        {
            raw.sqlite3_reset(_statement);
        }
        return raw.sqlite3_changes(_db);
    }

    public void Dispose() => raw.sqlite3_finalize(_statement);

    /// <summary>EF stores Guids on SQLite as upper-case text.</summary>
    public static string Text(Guid id) => id.ToString().ToUpperInvariant();
}
