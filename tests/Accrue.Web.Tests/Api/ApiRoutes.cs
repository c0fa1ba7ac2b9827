using System.Collections;
using System.Text.RegularExpressions;
using Accrue.Web.Features;
using Accrue.Web.Features.Api;
using Accrue.Web.Features.Bills;
using Accrue.Web.Features.Invoices;
using Accrue.Web.Features.Orders;
using Accrue.Web.Features.Vouchers;
using Accrue.Web.Features.Wallet;
using Accrue.Web.Infrastructure.Web;
using Accrue.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Accrue.Web.Tests.Api;

/// <summary>One method of one /api/v1 route, read from the app's own endpoint metadata.</summary>
public sealed partial record ApiRoute(string Method, string Pattern, string? Name, EndpointMetadataCollection Metadata)
{
    /// <summary>The pattern as OpenAPI writes it: <c>{id:guid}</c> becomes <c>{id}</c>.</summary>
    public string DocumentPath => Parameter().Replace(Pattern, m => "{" + m.Groups[1].Value + "}").TrimEnd('/') is var p && p.Length > 0 ? p : "/";

    public IReadOnlyList<string> Parameters => [.. Parameter().Matches(Pattern).Select(m => m.Groups[1].Value)];

    /// <summary>The pattern with each parameter replaced by <paramref name="value"/>'s answer.</summary>
    public string Url(Func<string, string> value) => Parameter().Replace(Pattern, m => value(m.Groups[1].Value)).TrimEnd('/');

    public IEnumerable<Type> SuccessTypes => Metadata.OfType<IProducesResponseTypeMetadata>()
        .Where(m => m.StatusCode is >= 200 and < 300 && m.Type is not null && m.Type != typeof(void)).Select(m => m.Type!);

    public bool IsIdempotent => Metadata.GetMetadata<IdempotentAttribute>() is not null;

    /// <summary>A GET answering with many rows: its 200 type is a collection (or already a page).</summary>
    public bool IsList => Method == "GET" && SuccessTypes.Any(t => IsPage(t) || (t != typeof(string) && typeof(IEnumerable).IsAssignableFrom(t)));

    public static bool IsPage(Type t) => t.IsGenericType && t.GetGenericTypeDefinition() == typeof(Page<>);

    /// <summary>
    /// A POST that takes or gives back money: its answer carries an order, a payment, a wallet entry, an
    /// invoice or credit note, or a redeemed voucher. Found from the response types, so a new endpoint
    /// can't forget to say so.
    /// </summary>
    public bool MovesMoney => Method == "POST" && SuccessTypes.Any(t => Reaches(t, MoneyTypes, []));

    private static readonly HashSet<Type> MoneyTypes =
        [typeof(OrderResponse), typeof(PaymentResponse), typeof(WalletEntryResponse), typeof(InvoiceResponse), typeof(RedeemVoucherResponse), typeof(PayBillsResponse)];

    private static bool Reaches(Type type, HashSet<Type> targets, HashSet<Type> seen)
    {
        if (targets.Contains(type)) return true;
        if (type.IsPrimitive || type == typeof(string) || (type.Namespace?.StartsWith("System", StringComparison.Ordinal) == true && !type.IsGenericType)) return false;
        if (!seen.Add(type)) return false;
        if (type.IsGenericType && type.GetGenericArguments().Any(a => Reaches(a, targets, seen))) return true;
        if (type.IsArray && Reaches(type.GetElementType()!, targets, seen)) return true;
        return type.GetProperties().Any(p => Reaches(p.PropertyType, targets, seen));
    }

    [GeneratedRegex(@"\{([A-Za-z]+)(?::[^}]*)?\}")]
    private static partial Regex Parameter();
}

public static class ApiRoutes
{
    public static IReadOnlyList<ApiRoute> Routes(this AccrueApp app)
    {
        _ = app.Server;
        return [.. app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith(ApiSetup.Prefix, StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? []).Select(method =>
                new ApiRoute(method, e.RoutePattern.RawText!, e.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName, e.Metadata)))
            .OrderBy(r => r.Pattern, StringComparer.Ordinal).ThenBy(r => r.Method, StringComparer.Ordinal)];
    }
}
