using System.Text.Json.Serialization;
using Accrue.Web.Infrastructure.Security;
using Accrue.Web.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection.Extensions;


namespace Accrue.Web.Infrastructure.Web;

public static class WebSetup
{
    /// <summary>Largest request body accepted anywhere; API endpoints accept less (see ApiSetup).</summary>
    public const long MaxRequestBody = 10 * 1024 * 1024;

    public static WebApplicationBuilder AddWeb(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.AddHttpContextAccessor();
        services.AddScoped<CurrentActor>();
        services.AddScoped<AppUrls>();
        builder.AddHttpsRequirement();
        services.Configure<AppOptions>(builder.Configuration.GetSection("App"));
        services.Configure<IdempotencyOptions>(builder.Configuration.GetSection("Idempotency"));
        services.TryAddSingleton<FaultPoints>();

        services.AddRazorPages(o =>
        {
            o.RootDirectory = "/Features";
            o.Conventions.AuthorizeFolder("/Console", IdentitySetup.ConsolePolicy);
            o.Conventions.AuthorizeFolder("/Portal", IdentitySetup.PortalPolicy);
            // Control characters and broken Unicode in any form or query string: a 400 page, before the handler.
            o.Conventions.ConfigureFilter(new TextInputPageFilter());
        });
        services.AddProblemDetails(o => o.CustomizeProblemDetails = Problems.Customize);
        services.AddExceptionHandler<UnexpectedExceptionHandler>();
        // Malformed JSON and wrong parameter types become 400 ProblemDetails instead of an empty 400.
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.Configure<JsonOptions>(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        services.Configure<FormOptions>(o => o.MultipartBodyLengthLimit = MaxRequestBody);
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = MaxRequestBody);
        return builder;
    }
}
