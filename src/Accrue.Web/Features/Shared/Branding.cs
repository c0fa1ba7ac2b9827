using Accrue.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Shared;

/// <summary>The operator's name and logo for page headers (DESIGN §2: the operator owns branding).</summary>
public sealed class Branding(AccrueDb db)
{
    private (string Name, string? Logo)? _value;

    public async Task<(string Name, string? Logo)> GetAsync()
    {
        if (_value is { } cached) return cached;
        var op = await db.Operators.AsNoTracking().Select(o => new { o.Name, o.LogoPath }).FirstOrDefaultAsync();
        _value = (op?.Name ?? "Accrue", op?.LogoPath);
        return _value.Value;
    }
}
