namespace Accrue.Web.Features.Shared;

/// <summary>One entry of the main navigation; <paramref name="Exact"/> marks it current only on its own path (the dashboard).</summary>
public sealed record NavLink(string Text, string Href, bool Exact = false)
{
    public bool IsCurrent(string path) => Exact
        ? path.TrimEnd('/').Equals(Href.TrimEnd('/'), StringComparison.OrdinalIgnoreCase)
        : path.StartsWith(Href, StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// A top-level navigation entry: a single link (<see cref="Title"/> null) or a titled group drawn as a
/// drop-down menu on wide screens and as a labelled section of the "Menu" panel on narrow ones.
/// Grouping keeps the 13–17 portal and console sections on one header line from 992 px up.
/// </summary>
public sealed record NavGroup(string? Title, IReadOnlyList<NavLink> Links)
{
    public static NavGroup Single(string text, string href, bool exact = false) => new(null, [new NavLink(text, href, exact)]);

    public bool IsCurrent(string path) => Links.Any(l => l.IsCurrent(path));
}
