using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Shared;

/// <summary>The choices the console's forms offer: ISO countries and currencies, IANA time zones.</summary>
public static class ConsoleLists
{
    public static IReadOnlyList<SelectListItem> Countries { get; } =
        [.. Accrue.Domain.Reference.Countries.All.OrderBy(c => c.Value, StringComparer.CurrentCulture).Select(c => new SelectListItem($"{c.Value} ({c.Key})", c.Key))];

    public static IReadOnlyList<SelectListItem> Currencies { get; } =
        [.. Accrue.Domain.Reference.Currencies.All.Values.OrderBy(c => c.Code, StringComparer.Ordinal).Select(c => new SelectListItem($"{c.Code} · {c.Name}", c.Code))];

    /// <summary>IANA ids only: those are what organizations store and what billing dates are computed in.</summary>
    public static IReadOnlyList<TimeZoneChoice> TimeZones { get; } =
        [.. TimeZoneInfo.GetSystemTimeZones().Where(z => z.HasIanaId).OrderBy(z => z.Id, StringComparer.Ordinal).Select(TimeZoneChoice.From)];

    public static string CountryName(string code) => Accrue.Domain.Reference.Countries.All.TryGetValue(code, out var name) ? name : code;
}

/// <summary>A time zone as the picker offers it: "Europe/Berlin", labelled "UTC+01:00 · Berlin".</summary>
public sealed record TimeZoneChoice(string Id, string Label)
{
    public static TimeZoneChoice From(TimeZoneInfo zone)
    {
        var offset = zone.BaseUtcOffset;
        var city = zone.Id[(zone.Id.LastIndexOf('/') + 1)..].Replace('_', ' ');
        return new(zone.Id, $"UTC{(offset < TimeSpan.Zero ? "-" : "+")}{offset:hh\\:mm} · {city}");
    }
}

/// <summary>One page of a longer list: "26–50 of 112".</summary>
public sealed record Paged<T>(IReadOnlyList<T> Items, int Number, int Size, int Total) : IPaged;

public interface IPaged
{
    int Number { get; }
    int Size { get; }
    int Total { get; }
    int First => Total == 0 ? 0 : ((Number - 1) * Size) + 1;
    int Last => Math.Min(Number * Size, Total);
    int Pages => Math.Max(1, (Total + Size - 1) / Size);
}

public static class PagingExtensions
{
    public const int PageSize = 25;

    public static async Task<Paged<T>> ToPagedAsync<T>(this IQueryable<T> query, int page, CancellationToken ct, int size = PageSize)
    {
        var total = await query.CountAsync(ct);
        var pages = Math.Max(1, (total + size - 1) / size);
        var number = Math.Clamp(page, 1, pages);
        var items = await query.Skip((number - 1) * size).Take(size).ToListAsync(ct);
        return new Paged<T>(items, number, size, total);
    }
}
