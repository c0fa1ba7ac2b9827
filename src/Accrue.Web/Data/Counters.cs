using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Data;

/// <summary>A named counter: invoice and order numbers.</summary>
public sealed class Counter
{
    public required string Key { get; set; }
    public long Value { get; set; }
}

public static class Counters
{
    /// <summary>
    /// The next number of <paramref name="key"/>. The update holds the counter's row (PostgreSQL) or
    /// the database's write lock (SQLite) until the caller's transaction ends, and rolls back with it,
    /// so numbers issued in a committed transaction run without gaps (invoice numbering, DESIGN §2).
    /// </summary>
    public static Task<long> NextAsync(this AccrueDb db, string key, CancellationToken ct = default) => db.TakeAsync(key, 1, ct);

    /// <summary>Takes <paramref name="count"/> numbers of <paramref name="key"/> at once (the billing run's batches); returns the last.</summary>
    public static async Task<long> TakeAsync(this AccrueDb db, string key, int count, CancellationToken ct = default)
    {
        await db.Database.ExecuteSqlAsync($"""INSERT INTO "Counters" ("Key", "Value") VALUES ({key}, 0) ON CONFLICT DO NOTHING""", ct);
        var values = await db.Database
            .SqlQuery<long>($"""UPDATE "Counters" SET "Value" = "Value" + {count} WHERE "Key" = {key} RETURNING "Value" """)
            .ToListAsync(ct);
        return values.Single();
    }
}
