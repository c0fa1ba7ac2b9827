using System.Collections.Concurrent;
using System.Reflection;
using Microsoft.AspNetCore.Mvc.Infrastructure;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.RazorPages.Infrastructure;
using Microsoft.AspNetCore.Routing.Template;
using Microsoft.AspNetCore.WebUtilities;

namespace Accrue.Web.Features.Shared;

/// <summary>
/// Whether a remote-support session would be refused a request to a URL: the page the URL routes to and
/// its <see cref="NotDuringRemoteSupportAttribute"/> decide, exactly as when the request is made, so what
/// the views leave out and what the pages refuse can't drift apart.
/// </summary>
public sealed class RemoteSupportRefusals(IActionDescriptorCollectionProvider actions, PageLoader pages)
{
    private readonly ConcurrentDictionary<PageActionDescriptor, Task<NotDuringRemoteSupportAttribute?>> _rules = new();
    private (int Version, (TemplateMatcher Matcher, PageActionDescriptor Page)[] Routes)? _routes;

    public async Task<bool> RefusesAsync(string method, string url)
    {
        var end = url.IndexOfAny(['?', '#']);
        var path = end < 0 ? url : url[..end];
        var query = end >= 0 && url[end] == '?' ? url[end..].Split('#')[0] : "";
        if (!path.StartsWith('/') || path.StartsWith("//", StringComparison.Ordinal)) return false;
        foreach (var (matcher, page) in Routes())
        {
            var values = new RouteValueDictionary();
            if (!matcher.TryMatch(path, values)) continue;
            if (await _rules.GetOrAdd(page, RuleAsync) is not { } rule) return false;
            var handler = QueryHelpers.ParseQuery(query).TryGetValue("handler", out var named) ? named.ToString() : values["handler"] as string;
            return rule.Refuses(method, string.IsNullOrEmpty(handler) ? null : handler);
        }
        return false;
    }

    private async Task<NotDuringRemoteSupportAttribute?> RuleAsync(PageActionDescriptor page)
    {
        var compiled = await pages.LoadAsync(page, EndpointMetadataCollection.Empty);
        return (compiled.HandlerTypeInfo ?? compiled.ModelTypeInfo)?.GetCustomAttribute<NotDuringRemoteSupportAttribute>();
    }

    /// <summary>Every page's route, the most specific first (as routing prefers literals to parameters).</summary>
    private (TemplateMatcher, PageActionDescriptor)[] Routes()
    {
        var current = actions.ActionDescriptors;
        if (_routes is { } known && known.Version == current.Version) return known.Routes;
        var routes = current.Items.OfType<PageActionDescriptor>()
            .Where(page => page.AttributeRouteInfo?.Template is not null)
            .Select(page => (Template: TemplateParser.Parse(page.AttributeRouteInfo!.Template!), Page: page))
            .OrderBy(route => RoutePrecedence.ComputeInbound(route.Template))
            .Select(route => (new TemplateMatcher(route.Template, new RouteValueDictionary()), route.Page))
            .ToArray();
        _routes = (current.Version, routes);
        return routes;
    }
}
