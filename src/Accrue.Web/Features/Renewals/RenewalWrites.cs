using System.Data.Common;
using Accrue.Domain.Invoices;
using Accrue.Domain.Subscriptions;
using Accrue.Domain.Wallets;
using Accrue.Web.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Accrue.Web.Features.Renewals;

/// <summary>A subscription's state after the billing run, written over the state it was read in.</summary>
/// <remarks><see cref="UnpaidRunId"/>: the run that failed to renew it (past due), null otherwise; plain renewals on SQLite leave the column as it is.</remarks>
public sealed record SubscriptionChange(
    Guid Id, int Revision, SubscriptionStatus Status, DateOnly TermStart, DateOnly TermEnd, int AnchorDay, Guid PlanVersionId,
    DateOnly? ActivatedOn, DateOnly? CancelledOn, bool CancelAtPeriodEnd, Guid? UnpaidRunId = null);

/// <summary>
/// The billing run's writes, without the change tracker (issue 6: a million renewals in seconds).
/// They run in the context's open transaction: SQLite with statements prepared once per batch,
/// PostgreSQL with binary COPY. Every subscription update is guarded by the revision it was read
/// at, so a change made meanwhile makes the batch fail and roll back rather than be overwritten.
/// </summary>
public abstract class RenewalWrites(AccrueDb db)
{
    protected AccrueDb Db { get; } = db;
    protected DbConnection Connection => Db.Database.GetDbConnection();
    protected DbTransaction Transaction => Db.Database.CurrentTransaction?.GetDbTransaction()
        ?? throw new InvalidOperationException("The billing run writes inside a transaction.");

    public static RenewalWrites For(AccrueDb db) => db.Database.IsNpgsql() ? new PostgresRenewalWrites(db) : new SqliteRenewalWrites(db);

    /// <summary>Prepares the database for a run's stream of batches; disposing the result ends that.</summary>
    public abstract Task<IAsyncDisposable> BeginRunAsync(CancellationToken ct);

    /// <summary>Locks the rows a batch reads until the transaction ends (PostgreSQL) and skips rows another run holds.</summary>
    public abstract string LockClause { get; }

    /// <summary>An id as this database compares it in hand-written SQL.</summary>
    public abstract object Key(Guid id);

    /// <summary>SQL true when <paramref name="column"/> (a nullable id) is null or none of the ids in <paramref name="parameter"/> (see <see cref="Keys"/>).</summary>
    public abstract string NoneOf(string column, string parameter);

    /// <summary>A list of ids as one parameter for <see cref="NoneOf"/>.</summary>
    public abstract object Keys(IEnumerable<Guid> ids);

    /// <summary>
    /// Inserts the failure notice of an organization and run date unless one exists (the primary key decides,
    /// with no error that would end the transaction); true when this call inserted it.
    /// </summary>
    public async Task<bool> ClaimFailureNoticeAsync(Guid organizationId, DateOnly runDate, Guid runId, DateTimeOffset now, CancellationToken ct)
    {
        await using var command = Connection.CreateCommand();
        command.Transaction = Transaction;
        command.CommandText = """
            INSERT INTO "RenewalFailureNotices" ("OrganizationId", "RunDate", "RunId", "SentAt") VALUES (@organization, @day, @run, @at)
            ON CONFLICT DO NOTHING
            """;
        foreach (var (name, value) in new[] { ("organization", Key(organizationId)), ("day", runDate), ("run", Key(runId)), ("at", Instant(now)) })
        {
            var parameter = command.CreateParameter();
            (parameter.ParameterName, parameter.Value) = (name, value);
            command.Parameters.Add(parameter);
        }
        return await command.ExecuteNonQueryAsync(ct) == 1;
    }

    /// <summary>An instant as this database stores it.</summary>
    protected abstract object Instant(DateTimeOffset at);

    public abstract Task UpdateSubscriptionsAsync(IReadOnlyList<SubscriptionChange> changes, DateTimeOffset now, CancellationToken ct);
    /// <summary>New invoices with their lines already as the JSON the column holds (shared by every renewal of the same price and term).</summary>
    public abstract Task InsertInvoicesAsync(IReadOnlyList<(Invoice Invoice, string Lines)> invoices, CancellationToken ct);
    public abstract Task InsertWalletEntriesAsync(IReadOnlyList<WalletEntry> entries, CancellationToken ct);

    protected const string By = "billing-run";

    protected static readonly string[] InvoiceColumns =
    [
        "Id", "OperatorId", "OrganizationId", "Kind", "Number", "Sequence", "SubscriptionId", "PeriodStart", "IssuedOn", "DueOn",
        "Status", "PaidAt", "BillingName", "BillingAddress", "Country", "Currency", "Lines", "Subtotal", "Tax", "Total", "TaxNote",
        "Revision", "CreatedAt", "CreatedBy", "UpdatedAt", "UpdatedBy",
    ];

    protected static readonly string[] EntryColumns =
    [
        "Id", "OrganizationId", "Sequence", "Kind", "Amount", "BalanceAfter", "Currency", "Description", "At", "UniqueKey",
        "CreatedAt", "CreatedBy", "UpdatedAt", "UpdatedBy",
    ];

    protected static string Columns(IEnumerable<string> names) => string.Join(", ", names.Select(n => $"\"{n}\""));
}

/// <summary>SQLite: one prepared statement per table per batch; the batch's transaction holds the write lock.</summary>
public sealed class SqliteRenewalWrites(AccrueDb db) : RenewalWrites(db)
{
    public override string LockClause => "";

    public override object Key(Guid id) => Text(id);

    public override string NoneOf(string column, string parameter) => $"({column} IS NULL OR {column} NOT IN (SELECT value FROM json_each({parameter})))";

    public override object Keys(IEnumerable<Guid> ids) => $"[{string.Join(',', ids.Select(id => $"\"{Text(id)}\""))}]";

    protected override object Instant(DateTimeOffset at) => at.UtcTicks;

    /// <summary>
    /// The run's connection stays open and leaves checkpoints to a second connection that copies the
    /// write-ahead log into the database file while the run goes on: otherwise every commit would
    /// stop to copy its pages there, a quarter of a run's time on a million renewals.
    /// </summary>
    public override async Task<IAsyncDisposable> BeginRunAsync(CancellationToken ct)
    {
        await Db.Database.OpenConnectionAsync(ct);
        await Db.Database.ExecuteSqlRawAsync("PRAGMA wal_autocheckpoint = 0; PRAGMA cache_size = -262144; PRAGMA foreign_keys = OFF", ct);
        return new Checkpointer(Db, Db.Database.GetConnectionString()!);
    }

    private sealed class Checkpointer : IAsyncDisposable
    {
        /// <summary>64 MiB of 16 KiB pages.</summary>
        private const long MaxLogPages = 4096;
        private readonly AccrueDb _db;
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;

        public Checkpointer(AccrueDb db, string connectionString)
        {
            _db = db;
            _loop = Task.Run(async () =>
            {
                await using var connection = new SqliteConnection(connectionString);
                await connection.OpenAsync();
                await using var passive = connection.CreateCommand();
                passive.CommandText = "PRAGMA wal_checkpoint(PASSIVE)";
                // When the log has outgrown what a passive checkpoint keeps up with, the checkpointer
                // waits for the writer's current batch and starts the log over, so it stays bounded.
                await using var restart = connection.CreateCommand();
                restart.CommandText = "PRAGMA busy_timeout = 30000; PRAGMA wal_checkpoint(RESTART)";
                while (!_stop.IsCancellationRequested)
                {
                    long logged;
                    await using (var reader = await passive.ExecuteReaderAsync())
                        logged = await reader.ReadAsync() ? reader.GetInt64(1) : 0;
                    if (logged > MaxLogPages) await restart.ExecuteNonQueryAsync();
                    try { await Task.Delay(TimeSpan.FromMilliseconds(50), _stop.Token); }
                    catch (OperationCanceledException) { }
                }
            });
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _loop;
            _stop.Dispose();
            await _db.Database.ExecuteSqlRawAsync("PRAGMA wal_autocheckpoint = 1000; PRAGMA cache_size = -2000; PRAGMA foreign_keys = ON");
            await _db.Database.CloseConnectionAsync();
        }
    }

    public override async Task UpdateSubscriptionsAsync(IReadOnlyList<SubscriptionChange> changes, DateTimeOffset now, CancellationToken ct)
    {
        // Most changes are plain renewals: only the term moves, so only the indexes on the term are
        // touched, and the renewals that share a new term go in one statement. The unary pluses keep
        // SQLite on the primary key rather than the status or plan-version index.
        await using var renewal = Command("""
            UPDATE "Subscriptions" SET "TermStart" = $start, "TermEnd" = $end, "Revision" = "Revision" + 1, "UpdatedAt" = $now, "UpdatedBy" = $by
            WHERE "Id" IN (SELECT value FROM json_each($ids)) AND "Revision" = $revision
              AND +"Status" = 'Active' AND "ActivatedOn" IS NOT NULL AND +"PlanVersionId" = $version AND "AnchorDay" = $anchor
            RETURNING "Id"
            """, "$start", "$end", "$now", "$by", "$ids", "$revision", "$version", "$anchor");
        await using var other = Command("""
            UPDATE "Subscriptions" SET "Status" = $status, "TermStart" = $start, "TermEnd" = $end, "AnchorDay" = $anchor,
              "PlanVersionId" = $version, "ActivatedOn" = $activated, "CancelledOn" = $cancelled, "CancelAtPeriodEnd" = $cap,
              "UnpaidRunId" = $unpaid, "Revision" = "Revision" + 1, "UpdatedAt" = $now, "UpdatedBy" = $by
            WHERE "Id" = $id AND "Revision" = $revision
            """, "$status", "$start", "$end", "$anchor", "$version", "$activated", "$cancelled", "$cap", "$unpaid", "$now", "$by", "$id", "$revision");
        foreach (var command in new[] { renewal, other })
        {
            command.Parameters["$now"].Value = now.UtcTicks;
            command.Parameters["$by"].Value = By;
        }
        var renewed = new HashSet<Guid>();
        var plain = changes.Where(c => c.Status == SubscriptionStatus.Active && c.ActivatedOn is not null && c.CancelledOn is null && !c.CancelAtPeriodEnd)
            .GroupBy(c => (c.TermStart, c.TermEnd, c.Revision, c.PlanVersionId, c.AnchorDay));
        foreach (var group in plain)
        {
            var p = renewal.Parameters;
            (p["$start"].Value, p["$end"].Value, p["$revision"].Value) = (group.Key.TermStart, group.Key.TermEnd, group.Key.Revision);
            (p["$version"].Value, p["$anchor"].Value) = (Text(group.Key.PlanVersionId), group.Key.AnchorDay);
            p["$ids"].Value = $"[{string.Join(',', group.Select(c => $"\"{Text(c.Id)}\""))}]";
            await using var reader = await renewal.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) renewed.Add(reader.GetGuid(0));
        }
        // What was not a plain renewal after all (a past-due subscription paid at last, say) takes the full statement.
        foreach (var c in changes.Where(c => !renewed.Contains(c.Id)))
        {
            var o = other.Parameters;
            (o["$status"].Value, o["$start"].Value, o["$end"].Value, o["$anchor"].Value) = (c.Status.ToString(), c.TermStart, c.TermEnd, c.AnchorDay);
            (o["$version"].Value, o["$activated"].Value, o["$cancelled"].Value) = (Text(c.PlanVersionId), (object?)c.ActivatedOn ?? DBNull.Value, (object?)c.CancelledOn ?? DBNull.Value);
            (o["$cap"].Value, o["$id"].Value, o["$revision"].Value) = (c.CancelAtPeriodEnd, Text(c.Id), c.Revision);
            o["$unpaid"].Value = c.UnpaidRunId is { } unpaid ? Text(unpaid) : DBNull.Value;
            if (await other.ExecuteNonQueryAsync(ct) != 1) throw new ConcurrentChangeException(c.Id);
        }
    }

    public override Task InsertInvoicesAsync(IReadOnlyList<(Invoice Invoice, string Lines)> invoices, CancellationToken ct)
    {
        using var insert = Insert("Invoices", InvoiceColumns);
        foreach (var (i, lines) in invoices)
        {
            insert.Bind(1, i.Id); insert.Bind(2, i.OperatorId); insert.Bind(3, i.OrganizationId); insert.Bind(4, i.Kind.ToString());
            insert.Bind(5, i.Number); insert.Bind(6, i.Sequence); insert.Bind(7, i.SubscriptionId!.Value); insert.Bind(8, i.PeriodStart);
            insert.Bind(9, i.IssuedOn); insert.Bind(10, i.DueOn); insert.Bind(11, i.Status.ToString()); insert.Bind(12, i.PaidAt);
            insert.Bind(13, i.BillingName); insert.Bind(14, i.BillingAddress); insert.Bind(15, i.Country); insert.Bind(16, i.Currency);
            insert.Bind(17, lines); insert.Bind(18, i.Subtotal); insert.Bind(19, i.Tax); insert.Bind(20, i.Total); insert.Bind(21, i.TaxNote);
            insert.Bind(22, i.Revision); insert.Bind(23, i.CreatedAt); insert.Bind(24, By); insert.Bind(25, i.CreatedAt); insert.Bind(26, By);
            insert.Execute();
        }
        return Task.CompletedTask;
    }

    public override Task InsertWalletEntriesAsync(IReadOnlyList<WalletEntry> entries, CancellationToken ct)
    {
        using var insert = Insert("WalletEntries", EntryColumns);
        foreach (var e in entries)
        {
            insert.Bind(1, e.Id); insert.Bind(2, e.OrganizationId); insert.Bind(3, e.Sequence); insert.Bind(4, e.Kind.ToString());
            insert.Bind(5, e.Amount); insert.Bind(6, e.BalanceAfter); insert.Bind(7, e.Currency); insert.Bind(8, e.Description);
            insert.Bind(9, e.At); insert.Bind(10, e.UniqueKey); insert.Bind(11, e.At); insert.Bind(12, By); insert.Bind(13, e.At); insert.Bind(14, By);
            insert.Execute();
        }
        return Task.CompletedTask;
    }

    private static string Text(Guid id) => SqliteStatement.Text(id);

    /// <summary>Inserts are prepared on SQLite's handle: what is the same for the whole batch is bound once.</summary>
    private SqliteStatement Insert(string table, string[] columns) =>
        new((SqliteConnection)Connection, $"""INSERT INTO "{table}" ({Columns(columns)}) VALUES ({string.Join(", ", columns.Select((_, i) => $"?{i + 1}"))})""");

    private SqliteCommand Command(string sql, params string[] parameters)
    {
        var command = (SqliteCommand)Connection.CreateCommand();
        command.Transaction = (SqliteTransaction)Transaction;
        command.CommandText = sql;
        foreach (var name in parameters) command.Parameters.Add(new SqliteParameter { ParameterName = name });
        return command;
    }
}

/// <summary>PostgreSQL: binary COPY for the new rows; the updates travel as arrays and apply in one statement.</summary>
public sealed class PostgresRenewalWrites(AccrueDb db) : RenewalWrites(db)
{
    public override string LockClause => "FOR UPDATE SKIP LOCKED";

    public override object Key(Guid id) => id;

    public override string NoneOf(string column, string parameter) => $"({column} IS NULL OR {column} <> ALL({parameter}))";

    public override object Keys(IEnumerable<Guid> ids) => ids.ToArray();

    protected override object Instant(DateTimeOffset at) => at;

    private NpgsqlConnection Npgsql => (NpgsqlConnection)Connection;

    /// <summary>
    /// Batches are read on the (organization, term end, id) index only if the planner knows how many
    /// subscriptions there are: fresh statistics keep it from sorting a whole organization per batch
    /// after a bulk load that autovacuum has not analyzed yet.
    /// </summary>
    public override async Task<IAsyncDisposable> BeginRunAsync(CancellationToken ct)
    {
        await Db.Database.ExecuteSqlRawAsync("ANALYZE \"Subscriptions\"", ct);
        return NothingToEnd.Instance;
    }

    private sealed class NothingToEnd : IAsyncDisposable
    {
        public static readonly NothingToEnd Instance = new();
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    public override async Task UpdateSubscriptionsAsync(IReadOnlyList<SubscriptionChange> changes, DateTimeOffset now, CancellationToken ct)
    {
        await using var batch = new NpgsqlBatch(Npgsql, (NpgsqlTransaction)Transaction);
        // The changes arrive as arrays and join the table on its primary key. A batch of a few
        // thousand rows against a million would otherwise be planned as a hash join that reads
        // every subscription; the planner settings last until the batch commits.
        batch.BatchCommands.Add(new("SET LOCAL enable_hashjoin = off"));
        batch.BatchCommands.Add(new("SET LOCAL enable_mergejoin = off"));
        var update = new NpgsqlBatchCommand("""
            UPDATE "Subscriptions" s SET "Status" = c.status, "TermStart" = c.term_start, "TermEnd" = c.term_end, "AnchorDay" = c.anchor,
              "PlanVersionId" = c.version, "ActivatedOn" = c.activated, "CancelledOn" = c.cancelled, "CancelAtPeriodEnd" = c.cap,
              "UnpaidRunId" = c.unpaid, "Revision" = s."Revision" + 1, "UpdatedAt" = @now, "UpdatedBy" = @by
            FROM unnest(@ids, @revisions, @statuses, @starts, @ends, @anchors, @versions, @activated, @cancelled, @caps, @unpaid)
              AS c(id, revision, status, term_start, term_end, anchor, version, activated, cancelled, cap, unpaid)
            WHERE s."Id" = c.id AND s."Revision" = c.revision
            """);
        var p = update.Parameters;
        p.AddWithValue("now", now);
        p.AddWithValue("by", By);
        p.AddWithValue("ids", changes.Select(c => c.Id).ToArray());
        p.AddWithValue("revisions", changes.Select(c => c.Revision).ToArray());
        p.AddWithValue("statuses", changes.Select(c => c.Status.ToString()).ToArray());
        p.AddWithValue("starts", changes.Select(c => c.TermStart).ToArray());
        p.AddWithValue("ends", changes.Select(c => c.TermEnd).ToArray());
        p.AddWithValue("anchors", changes.Select(c => c.AnchorDay).ToArray());
        p.AddWithValue("versions", changes.Select(c => c.PlanVersionId).ToArray());
        p.AddWithValue("activated", NpgsqlDbType.Array | NpgsqlDbType.Date, changes.Select(c => c.ActivatedOn).ToArray());
        p.AddWithValue("cancelled", NpgsqlDbType.Array | NpgsqlDbType.Date, changes.Select(c => c.CancelledOn).ToArray());
        p.AddWithValue("caps", changes.Select(c => c.CancelAtPeriodEnd).ToArray());
        p.AddWithValue("unpaid", NpgsqlDbType.Array | NpgsqlDbType.Uuid, changes.Select(c => c.UnpaidRunId).ToArray());
        batch.BatchCommands.Add(update);
        await batch.ExecuteNonQueryAsync(ct);
        if (update.RecordsAffected != changes.Count) throw new ConcurrentChangeException(null);
    }

    public override async Task InsertInvoicesAsync(IReadOnlyList<(Invoice Invoice, string Lines)> invoices, CancellationToken ct)
    {
        await using var copy = await Npgsql.BeginBinaryImportAsync($"COPY \"Invoices\" ({Columns(InvoiceColumns)}) FROM STDIN (FORMAT BINARY)", ct);
        foreach (var (i, lines) in invoices)
        {
            await copy.StartRowAsync(ct);
            await copy.WriteAsync(i.Id, NpgsqlDbType.Uuid, ct);
            await copy.WriteAsync(i.OperatorId, NpgsqlDbType.Uuid, ct);
            await copy.WriteAsync(i.OrganizationId, NpgsqlDbType.Uuid, ct);
            await copy.WriteAsync(i.Kind.ToString(), NpgsqlDbType.Varchar, ct);
            await copy.WriteAsync(i.Number, NpgsqlDbType.Varchar, ct);
            await copy.WriteAsync(i.Sequence, NpgsqlDbType.Bigint, ct);
            await copy.WriteAsync(i.SubscriptionId!.Value, NpgsqlDbType.Uuid, ct);
            await copy.WriteAsync(i.PeriodStart!.Value, NpgsqlDbType.Date, ct);
            await copy.WriteAsync(i.IssuedOn, NpgsqlDbType.Date, ct);
            await WriteNullableAsync(copy, i.DueOn, NpgsqlDbType.Date, ct);
            await copy.WriteAsync(i.Status.ToString(), NpgsqlDbType.Varchar, ct);
            await WriteNullableAsync(copy, i.PaidAt, NpgsqlDbType.TimestampTz, ct);
            await copy.WriteAsync(i.BillingName, NpgsqlDbType.Varchar, ct);
            await copy.WriteAsync(i.BillingAddress, NpgsqlDbType.Varchar, ct);
            await copy.WriteAsync(i.Country, NpgsqlDbType.Varchar, ct);
            await copy.WriteAsync(i.Currency, NpgsqlDbType.Varchar, ct);
            await copy.WriteAsync(lines, NpgsqlDbType.Text, ct);
            await copy.WriteAsync(i.Subtotal, NpgsqlDbType.Numeric, ct);
            await copy.WriteAsync(i.Tax, NpgsqlDbType.Numeric, ct);
            await copy.WriteAsync(i.Total, NpgsqlDbType.Numeric, ct);
            await WriteNullableAsync(copy, i.TaxNote, NpgsqlDbType.Varchar, ct);
            await copy.WriteAsync(i.Revision, NpgsqlDbType.Integer, ct);
            await copy.WriteAsync(i.CreatedAt, NpgsqlDbType.TimestampTz, ct);
            await copy.WriteAsync(By, NpgsqlDbType.Text, ct);
            await copy.WriteAsync(i.CreatedAt, NpgsqlDbType.TimestampTz, ct);
            await copy.WriteAsync(By, NpgsqlDbType.Text, ct);
        }
        await copy.CompleteAsync(ct);
    }

    public override async Task InsertWalletEntriesAsync(IReadOnlyList<WalletEntry> entries, CancellationToken ct)
    {
        await using var copy = await Npgsql.BeginBinaryImportAsync($"COPY \"WalletEntries\" ({Columns(EntryColumns)}) FROM STDIN (FORMAT BINARY)", ct);
        foreach (var e in entries)
        {
            await copy.StartRowAsync(ct);
            await copy.WriteAsync(e.Id, NpgsqlDbType.Uuid, ct);
            await copy.WriteAsync(e.OrganizationId, NpgsqlDbType.Uuid, ct);
            await copy.WriteAsync(e.Sequence, NpgsqlDbType.Bigint, ct);
            await copy.WriteAsync(e.Kind.ToString(), NpgsqlDbType.Varchar, ct);
            await copy.WriteAsync(e.Amount, NpgsqlDbType.Numeric, ct);
            await copy.WriteAsync(e.BalanceAfter, NpgsqlDbType.Numeric, ct);
            await copy.WriteAsync(e.Currency, NpgsqlDbType.Varchar, ct);
            await copy.WriteAsync(e.Description, NpgsqlDbType.Varchar, ct);
            await copy.WriteAsync(e.At, NpgsqlDbType.TimestampTz, ct);
            await WriteNullableAsync(copy, e.UniqueKey, NpgsqlDbType.Varchar, ct);
            await copy.WriteAsync(e.At, NpgsqlDbType.TimestampTz, ct);
            await copy.WriteAsync(By, NpgsqlDbType.Text, ct);
            await copy.WriteAsync(e.At, NpgsqlDbType.TimestampTz, ct);
            await copy.WriteAsync(By, NpgsqlDbType.Text, ct);
        }
        await copy.CompleteAsync(ct);
    }

    private static Task WriteNullableAsync<T>(NpgsqlBinaryImporter copy, T? value, NpgsqlDbType type, CancellationToken ct) where T : struct =>
        value is { } v ? copy.WriteAsync(v, type, ct) : copy.WriteNullAsync(ct);

    private static Task WriteNullableAsync(NpgsqlBinaryImporter copy, string? value, NpgsqlDbType type, CancellationToken ct) =>
        value is not null ? copy.WriteAsync(value, type, ct) : copy.WriteNullAsync(ct);
}

/// <summary>A subscription changed between the billing run reading it and writing it: the batch is rolled back and read again.</summary>
public sealed class ConcurrentChangeException(Guid? subscriptionId)
    : Exception($"Subscription {subscriptionId?.ToString() ?? "(one of the batch)"} changed while the billing run renewed it.");
