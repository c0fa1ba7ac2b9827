using System.Text.Json.Serialization;
using Accrue.Web.Features.Api;
using Accrue.Web.Features.Audit;
using Accrue.Web.Features.Bills;
using Accrue.Web.Features.Catalog;
using Accrue.Web.Features.Console.Mail;
using Accrue.Web.Features.Faq;
using Accrue.Web.Features.Invoices;
using Accrue.Web.Features.Keys;
using Accrue.Web.Features.Members;
using Accrue.Web.Features.Orders;
using Accrue.Web.Features.Organizations;
using Accrue.Web.Features.Payments;
using Accrue.Web.Features.RemoteSupport;
using Accrue.Web.Features.Renewals;
using Accrue.Web.Features.Subscriptions;
using Accrue.Web.Features.Support;
using Accrue.Web.Features.Usage;
using Accrue.Web.Features.Vouchers;
using Accrue.Web.Features.Wallet;
using Accrue.Web.Features.Webhooks;
using Accrue.Web.Infrastructure.Security;
using Accrue.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.OpenApi;
using Scalar.AspNetCore;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace Accrue.Web.Features;

/// <summary>
/// The REST API under /api/v1: Bearer API keys only (never the sign-in cookie, so no CSRF exposure),
/// ProblemDetails errors, request bodies up to 1 MB, rate limits per key (<see cref="ApiRateLimits"/>),
/// described at /openapi/v1.json and /api-reference.
/// </summary>
public static class ApiSetup
{
    public const string Prefix = "/api/v1";
    public const long MaxRequestBody = 1024 * 1024;
    private const string BearerScheme = "Bearer";

    public static WebApplicationBuilder AddApi(this WebApplicationBuilder builder)
    {
        // Enums travel as names only: a number such as "billingMode": 7 would otherwise bind to a value that doesn't exist.
        builder.Services.Configure<JsonOptions>(o =>
        {
            var lenient = o.SerializerOptions.Converters.OfType<JsonStringEnumConverter>().ToList();
            foreach (var converter in lenient) o.SerializerOptions.Converters.Remove(converter);
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(allowIntegerValues: false));
            // Integers are JSON integers ("12" is refused); every decimal is a decimal string (docs/api.md, "Numbers and money").
            o.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
            o.SerializerOptions.Converters.Add(new DecimalStringJsonConverter());
        });
        builder.Services.AddApiRateLimits();
        builder.Services.Configure<ApiLicenseOptions>(builder.Configuration.GetSection("Api:License"));
        builder.Services.AddOpenApi(o =>
        {
            o.ShouldInclude = d => d.RelativePath?.StartsWith(Prefix[1..], StringComparison.Ordinal) == true;
            o.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "Accrue API";
                document.Info.Description = "Send an API key as `Authorization: Bearer acr_…`. Keys are created in the console, the portal or with `POST /api/v1/api-keys`, and shown once.";
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    BearerFormat = "acr_{prefix}_{secret}",
                    Description = "An Accrue API key.",
                };
                return Task.CompletedTask;
            });
            o.AddDocumentTransformer(ApiDocument.DescribeAsync);
            o.AddOperationTransformer(ApiDocument.DeclareIdempotencyKeyAsync);
            o.AddSchemaTransformer(WireSchemas.DescribeNumbersAsync);
            // Every problem this API writes carries traceId and a stable code (docs/errors.md), validation problems their
            // field errors, and 429s their wait: declare them.
            o.AddSchemaTransformer((schema, context, _) =>
            {
                if (!typeof(ProblemDetails).IsAssignableFrom(context.JsonTypeInfo.Type)) return Task.CompletedTask;
                schema.Properties ??= new Dictionary<string, IOpenApiSchema>();
                schema.Properties["traceId"] = new OpenApiSchema { Type = JsonSchemaType.String };
                schema.Properties["code"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.String, Pattern = "^[a-z][a-z0-9_]*$",
                    Description = "Stable machine-readable error code; every code is listed in docs/errors.md.",
                };
                schema.Required ??= new HashSet<string>();
                schema.Required.Add("code");
                schema.Properties[Problems.RetryAfterKey] = new OpenApiSchema { Type = JsonSchemaType.Integer, Description = "Seconds to wait before retrying (also the Retry-After header)." };
                schema.Properties["errors"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
                };
                return Task.CompletedTask;
            });
            o.AddOperationTransformer((operation, context, _) =>
            {
                operation.Security ??= [];
                operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [] });
                return Task.CompletedTask;
            });
        });
        return builder;
    }

    public static WebApplication MapApi(this WebApplication app)
    {
        app.UseWhen(c => c.Request.Path.StartsWithSegments(Prefix), api => api.UseApiRateLimits().Use(RefuseOversizedBodyAsync).Use(TextInput.RefuseInApiAsync).Use(Idempotency.HandleAsync));

        var group = app.MapGroup(Prefix)
            .RequireAuthorization(IdentitySetup.ApiPolicy)
            .DisableAntiforgery()
            // Kestrel enforces this on the stream too (bodies sent without Content-Length).
            .WithMetadata(new RequestSizeLimitAttribute(MaxRequestBody))
            .AddEndpointFilter(ReadOnlyApi.RefuseChangesOfInactiveOrganizationsAsync)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        group.MapOrganizationsApi();
        group.MapMembersApi();
        group.MapPermissionSetsApi();
        group.MapCatalogApi();
        group.MapSubscriptionsApi();
        group.MapEntitlementsApi();
        group.MapOrdersApi();
        group.MapInvoicesApi();
        group.MapUsageApi();
        group.MapCardOnFileApi();
        group.MapBillsApi();
        group.MapVouchersApi();
        group.MapWalletApi();
        group.MapSupportSetupApi();
        group.MapRemoteSupportApi();
        group.MapTicketsApi();
        group.MapFaqApi();
        group.MapWebhooksApi();
        group.MapBillingRunsApi();
        group.MapAuditApi();
        group.MapMailOutboxApi();
        group.MapApiKeysApi();

        app.MapOpenApi();
        // Scalar's script is served from the package itself (/api-reference/scalar.js); fonts from a CDN are turned off.
        // The vendor's own offers (AI agent, MCP, hosted client, telemetry) stay off an operator's API reference.
        app.MapScalarApiReference("/api-reference", o => o.WithTitle("Accrue API").DisableDefaultFonts()
            .DisableAgent().DisableMcp().DisableTelemetry().HideClientButton().HideDeveloperTools());
        return app;
    }

    /// <summary>
    /// A body over the limit is refused before the endpoint reads it: 413 ProblemDetails, nothing written.
    /// A declared Content-Length is checked up front; a body sent without one (chunked) is read into
    /// memory up to the limit first, because model binding would otherwise swallow the stream error.
    /// </summary>
    private static async Task RefuseOversizedBodyAsync(HttpContext context, RequestDelegate next)
    {
        var request = context.Request;
        // An endpoint may allow more (tickets with attachments): its own RequestSizeLimit wins over the group's.
        var limit = context.GetEndpoint()?.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IRequestSizeLimitMetadata>()?.MaxRequestBodySize ?? MaxRequestBody;
        if (request.ContentLength > limit)
        {
            await TooLargeAsync(context, limit);
            return;
        }
        if (request.ContentLength is null && context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == true)
        {
            var buffer = new MemoryStream();
            context.Response.RegisterForDispose(buffer);
            try
            {
                var chunk = new byte[81920];
                int read;
                while ((read = await request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
                {
                    buffer.Write(chunk, 0, read);
                    if (buffer.Length > limit) break;
                }
            }
            catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                buffer.SetLength(limit + 1);
            }
            if (buffer.Length > limit)
            {
                await TooLargeAsync(context, limit);
                return;
            }
            buffer.Position = 0;
            request.Body = buffer;
            request.ContentLength = buffer.Length;
        }
        await next(context);
    }

    private static async Task TooLargeAsync(HttpContext context, long limit)
    {
        context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new()
        {
            HttpContext = context,
            ProblemDetails = { Status = StatusCodes.Status413PayloadTooLarge, Title = "Request body too large", Detail = $"This request's body is limited to {limit / 1024} KB." },
        });
    }
}
