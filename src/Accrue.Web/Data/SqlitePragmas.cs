using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Accrue.Web.Data;

/// <summary>
/// Connection settings SQLite keeps per connection, applied on every open (docs/decisions/0012-sqlite-synchronous-normal.md):
/// <c>synchronous=NORMAL</c>, so a commit in WAL mode appends to the log without an fsync; the log is synced at checkpoints.
/// A crash of the app loses nothing; a power cut or OS crash may lose the last commits, never corrupt the file.
/// </summary>
public sealed class SqlitePragmas : DbConnectionInterceptor
{
    public static readonly SqlitePragmas Instance = new();

    private const string Pragmas = "PRAGMA synchronous=NORMAL;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
