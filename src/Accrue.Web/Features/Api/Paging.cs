using Accrue.Domain.Common;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Api;

/// <summary>One page of a list; pass <see cref="NextCursor"/> back as <c>cursor</c> for the next page (null on the last).</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor);

/// <summary>
/// Keyset paging by id. Ids are UUIDv7, so id order is creation order and a page boundary stays put
/// while rows are added, unlike offset paging. The cursor is the last id of the previous page.
/// </summary>
public static class Paging
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    /// <summary>Checks <c>limit</c> and <c>cursor</c>; on success returns the effective limit and the id to start after.</summary>
    public static Result<(int Limit, Guid? After)> Parse(int? limit, string? cursor)
    {
        var errors = new FieldErrors();
        var take = limit ?? DefaultLimit;
        if (take is < 1 or > MaxLimit) errors.Add("limit", $"The limit must be between 1 and {MaxLimit}.");
        Guid? after = null;
        if (!string.IsNullOrEmpty(cursor))
        {
            if (Guid.TryParseExact(cursor, "N", out var id)) after = id;
            else errors.Add("cursor", "The cursor is not one this API handed out; start again without it.");
        }
        if (errors.Any) return errors.ToFailure();
        return (take, after);
    }

    public static async Task<Page<TResponse>> PageAsync<TEntity, TResponse>(this IQueryable<TEntity> query, (int Limit, Guid? After) page,
        Func<TEntity, TResponse> map, CancellationToken ct) where TEntity : Entity
    {
        if (page.After is { } after) query = query.Where(e => e.Id.CompareTo(after) > 0);
        // One row more than asked tells whether another page follows without a second query.
        var rows = await query.OrderBy(e => e.Id).Take(page.Limit + 1).ToListAsync(ct);
        var (items, next) = Slice(rows, page.Limit, e => e.Id.ToString("N"));
        return new Page<TResponse>(items.Select(map).ToList(), next);
    }

    /// <summary>
    /// Checks <c>limit</c> and <c>cursor</c> for rows numbered by the database (audit entries), paged by that
    /// number: the cursor is the last number of the previous page.
    /// </summary>
    public static Result<(int Limit, long? After)> ParseNumbered(int? limit, string? cursor)
    {
        var errors = new FieldErrors();
        var take = limit ?? DefaultLimit;
        if (take is < 1 or > MaxLimit) errors.Add("limit", $"The limit must be between 1 and {MaxLimit}.");
        long? after = null;
        if (!string.IsNullOrEmpty(cursor))
        {
            if (long.TryParse(cursor, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number)) after = number;
            else errors.Add("cursor", "The cursor is not one this API handed out; start again without it.");
        }
        if (errors.Any) return errors.ToFailure();
        return (take, after);
    }

    /// <summary>
    /// The rows of a keyset query that read one row more than <paramref name="limit"/>: the page's rows,
    /// and the cursor of the next page (the key of the page's last row) when that extra row came back.
    /// </summary>
    public static (IReadOnlyList<T> Items, string? NextCursor) Slice<T>(IReadOnlyList<T> rows, int limit, Func<T, string> key) =>
        rows.Count > limit ? (rows.Take(limit).ToList(), key(rows[limit - 1])) : (rows, null);

    /// <summary>
    /// Pages a short list already read in its display order (tax rates by country, FAQ categories by
    /// position…). The cursor is the key of the last row handed out, so a page boundary stays put
    /// while rows are added; if that row is gone the cursor is refused (400) and the caller starts again.
    /// </summary>
    public static Result<Page<T>> PageOf<T>(IReadOnlyList<T> rows, Func<T, string> key, int? limit, string? cursor)
    {
        var take = limit ?? DefaultLimit;
        if (take is < 1 or > MaxLimit) return Failure.Invalid("limit", $"The limit must be between 1 and {MaxLimit}.");
        var start = 0;
        if (!string.IsNullOrEmpty(cursor))
        {
            var after = Decode(cursor);
            var index = after is null ? -1 : IndexOf(rows, key, after);
            if (index < 0) return Failure.Invalid("cursor", "The cursor is not one this API handed out, or its row is gone; start again without it.");
            start = index + 1;
        }
        var items = rows.Skip(start).Take(take).ToList();
        var next = start + take < rows.Count ? Encode(key(items[^1])) : null;
        return new Page<T>(items, next);
    }

    private static int IndexOf<T>(IReadOnlyList<T> rows, Func<T, string> key, string wanted)
    {
        for (var i = 0; i < rows.Count; i++)
            if (string.Equals(key(rows[i]), wanted, StringComparison.Ordinal)) return i;
        return -1;
    }

    private static string Encode(string key) => "k" + Convert.ToHexStringLower(System.Text.Encoding.UTF8.GetBytes(key));

    private static string? Decode(string cursor)
    {
        if (cursor.Length < 1 || cursor[0] != 'k' || cursor.Length % 2 == 0) return null;
        try
        {
            return System.Text.Encoding.UTF8.GetString(Convert.FromHexString(cursor.AsSpan(1)));
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
