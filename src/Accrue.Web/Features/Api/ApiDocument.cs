using Accrue.Web.Infrastructure.Web;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Accrue.Web.Features.Api;

/// <summary>The licence the OpenAPI document states in <c>info.license</c> (configuration section <c>Api:License</c>).</summary>
public sealed class ApiLicenseOptions
{
    public string Name { get; set; } = "Proprietary";

    /// <summary>Where the operator publishes the terms of use of its API; left out of the document when empty.</summary>
    public string? Url { get; set; }
}

/// <summary>
/// What the OpenAPI document says beyond the endpoints themselves (issue 15 §34): a description per tag, the
/// licence, server URLs without a trailing slash, and the <c>Idempotency-Key</c> header on money-moving POSTs.
/// </summary>
public static class ApiDocument
{
    /// <summary>Every tag an operation uses; a tag missing here fails OpenApiDocumentTests.</summary>
    public static IReadOnlyDictionary<string, string> Tags { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["Organizations"] = "Customer accounts: create, read and change them, suspend, reactivate and close them (the console's Organizations).",
        ["Members"] = "The people of an organization, their roles, permission sets and portal access; ownership transfer.",
        ["Catalog"] = "Products, plans with seat types and versioned prices, SLA documents and tax rates. Every key reads it; operator keys change it.",
        ["Subscriptions"] = "An organization's subscriptions: quotes and orders for subscribing, renewing, adding seats or apps and changing plan; cancel, pause, resume, seat assignment.",
        ["Entitlements"] = "What a member may use: the modules of their seat and the add-ons of the subscription, for the customer's own product to check.",
        ["Orders"] = "Every purchase as an order: list, read, pay (card, card on file or wallet), cancel and delete unpaid ones.",
        ["Invoices"] = "Invoices and credit notes as issued, their PDFs, credit notes and the invoice numbering.",
        ["Bills"] = "A postpaid organization's open invoices, their timelines, and paying several with one card charge.",
        ["Wallet"] = "A prepaid organization's wallet: balance, ledger, CSV export, top-ups by card and the operator's adjustments and withdrawals.",
        ["Usage"] = "Meters, unit balances, unit packs and usage events reported by the customer's product.",
        ["Vouchers"] = "Voucher batches (operator), vouchers bought online by organizations, and redeeming a code.",
        ["Card on file"] = "The card an organization keeps on file for renewals and one-click payments (brand, last four digits and expiry only).",
        ["Tickets"] = "Support tickets: the customer's side per organization, and the staff queue across organizations.",
        ["Support setup"] = "The support desk's teams and ticket types (operator keys).",
        ["Remote support"] = "Whether an organization allows staff to open its portal as one of its members, and the sessions that did.",
        ["FAQ"] = "Help articles in categories: published ones for every key, drafts and changes for operator keys.",
        ["Webhooks"] = "Endpoints that receive signed events, their delivery logs, tests and replays; per organization or for the operator.",
        ["Billing runs"] = "The daily billing run (renewals, expiries, trial conversions): history and running it now (operator keys).",
        ["Audit"] = "The audit trail: who changed what, when, and on whose behalf.",
        ["Mail outbox"] = "Emails the system sent or will send, for staff keys.",
        ["API keys"] = "Keys for this API: list, create (the secret is shown once) and revoke them, with a key of at least the same rights.",
    };

    public static Task DescribeAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken ct)
    {
        foreach (var tag in document.Tags ?? new HashSet<OpenApiTag>())
            if (tag.Name is { } name && Tags.TryGetValue(name, out var description)) tag.Description = description;
        // Paths start with a slash, so a server URL ending in one would join to "//api/v1/…".
        foreach (var server in document.Servers ?? []) server.Url = server.Url?.TrimEnd('/');
        var license = context.ApplicationServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<ApiLicenseOptions>>().Value;
        document.Info.License = new OpenApiLicense
        {
            Name = license.Name,
            Url = Uri.TryCreate(license.Url, UriKind.Absolute, out var url) ? url : null,
        };
        return Task.CompletedTask;
    }

    /// <summary>Declares the <c>Idempotency-Key</c> header on every operation marked <c>.Idempotent()</c>.</summary>
    public static Task DeclareIdempotencyKeyAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        if (!context.Description.ActionDescriptor.EndpointMetadata.OfType<IdempotentAttribute>().Any()) return Task.CompletedTask;
        operation.Parameters ??= [];
        operation.Parameters.Add(new OpenApiParameter
        {
            Name = Idempotency.Header,
            In = ParameterLocation.Header,
            Required = false,
            Description = $"Makes retries safe: the same key with the same request replays the first answer (with `Idempotent-Replayed: true`); "
                + "with another request it is refused with 422, and while the first is still running with 409. Keys of different API keys never meet.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, MaxLength = Idempotency.MaxKeyLength },
        });
        return Task.CompletedTask;
    }
}
