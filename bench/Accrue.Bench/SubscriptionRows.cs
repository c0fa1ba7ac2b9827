using Accrue.Domain.Billing;
using Accrue.Web.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Accrue.Bench;

/// <summary>Seeds active monthly subscriptions in bulk, inside the context's open transaction.</summary>
public static class SubscriptionRows
{
    private static readonly string[] Columns =
        ["Id", "OrganizationId", "PlanId", "PlanVersionId", "Currency", "Status", "ActivatedOn", "TermStart", "TermEnd", "AnchorDay",
         "AutoRenew", "CancelAtPeriodEnd", "Quantity", "Revision", "CreatedAt", "UpdatedAt"];

    public static async Task InsertAsync(AccrueDb db, IEnumerable<(Guid Organization, bool AutoRenew)> rows, Guid planId, Guid versionId, Term term)
    {
        var now = DateTimeOffset.UtcNow;
        var columns = string.Join(", ", Columns.Select(c => $"\"{c}\""));
        var transaction = db.Database.CurrentTransaction!.GetDbTransaction();
        if (db.Database.IsNpgsql())
        {
            var connection = (NpgsqlConnection)db.Database.GetDbConnection();
            await using var copy = await connection.BeginBinaryImportAsync($"COPY \"Subscriptions\" ({columns}) FROM STDIN (FORMAT BINARY)");
            foreach (var (organization, autoRenew) in rows)
            {
                await copy.StartRowAsync();
                await copy.WriteAsync(Guid.CreateVersion7(), NpgsqlDbType.Uuid);
                await copy.WriteAsync(organization, NpgsqlDbType.Uuid);
                await copy.WriteAsync(planId, NpgsqlDbType.Uuid);
                await copy.WriteAsync(versionId, NpgsqlDbType.Uuid);
                await copy.WriteAsync("EUR", NpgsqlDbType.Varchar);
                await copy.WriteAsync("Active", NpgsqlDbType.Varchar);
                await copy.WriteAsync(term.Start, NpgsqlDbType.Date);
                await copy.WriteAsync(term.Start, NpgsqlDbType.Date);
                await copy.WriteAsync(term.End, NpgsqlDbType.Date);
                await copy.WriteAsync(term.Start.Day, NpgsqlDbType.Integer);
                await copy.WriteAsync(autoRenew, NpgsqlDbType.Boolean);
                await copy.WriteAsync(false, NpgsqlDbType.Boolean);
                await copy.WriteAsync(1, NpgsqlDbType.Integer);
                await copy.WriteAsync(0, NpgsqlDbType.Integer);
                await copy.WriteAsync(now, NpgsqlDbType.TimestampTz);
                await copy.WriteAsync(now, NpgsqlDbType.TimestampTz);
            }
            await copy.CompleteAsync();
            return;
        }
        await using var command = (SqliteCommand)db.Database.GetDbConnection().CreateCommand();
        command.Transaction = (SqliteTransaction)transaction;
        command.CommandText = $"INSERT INTO \"Subscriptions\" ({columns}) VALUES ({string.Join(", ", Columns.Select((_, i) => $"$p{i}"))})";
        for (var i = 0; i < Columns.Length; i++) command.Parameters.Add(new SqliteParameter { ParameterName = $"$p{i}" });
        var p = command.Parameters;
        (p[2].Value, p[3].Value, p[4].Value, p[5].Value) = (Text(planId), Text(versionId), "EUR", "Active");
        (p[6].Value, p[7].Value, p[8].Value, p[9].Value) = (term.Start, term.Start, term.End, term.Start.Day);
        (p[11].Value, p[12].Value, p[13].Value, p[14].Value, p[15].Value) = (false, 1, 0, now.UtcTicks, now.UtcTicks);
        foreach (var (organization, autoRenew) in rows)
        {
            p[0].Value = Text(Guid.CreateVersion7());
            p[1].Value = Text(organization);
            p[10].Value = autoRenew;
            await command.ExecuteNonQueryAsync();
        }
    }

    private static string Text(Guid id) => id.ToString().ToUpperInvariant();
}
