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
        var next = rows.Count > page.Limit ? rows[page.Limit - 1].Id.ToString("N") : null;
        return new Page<TResponse>(rows.Take(page.Limit).Select(map).ToList(), next);
    }
}
