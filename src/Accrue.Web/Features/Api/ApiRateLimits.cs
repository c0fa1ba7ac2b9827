using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Accrue.Web.Infrastructure.Tenancy;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Accrue.Web.Features.Api;

/// <summary>
/// "RateLimits" in configuration: each API key (or signed-in user) gets a token bucket holding
/// <see cref="Burst"/> requests, refilled at <see cref="PermitsPerMinute"/>.
/// </summary>
public sealed class RateLimitOptions
{
    public int PermitsPerMinute { get; set; } = 600;
    public int Burst { get; set; } = 200;
}

/// <summary>
/// Rate limits on /api/v1, one bucket per API key (cookie callers per user, anyone else per IP address),
/// so one noisy integration cannot starve the others. Over the limit: 429 with <c>Retry-After</c> in
/// seconds and a ProblemDetails body. The buckets live in this process's memory: with several app
/// instances behind a load balancer each instance counts on its own.
/// </summary>
public static class ApiRateLimits
{
    public const string Section = "RateLimits";

    public static IServiceCollection AddApiRateLimits(this IServiceCollection services)
    {
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimitOptions>().BindConfiguration(Section)
            .Validate(o => o.PermitsPerMinute > 0 && o.Burst > 0, "RateLimits:PermitsPerMinute and RateLimits:Burst must be positive.")
            .ValidateOnStart();
        return services;
    }

    public static IApplicationBuilder UseApiRateLimits(this IApplicationBuilder api)
    {
        var limits = api.ApplicationServices.GetRequiredService<IOptions<RateLimitOptions>>().Value;
        // Refill in steps of at least 100 ms (the limiter's timer tick) so high limits aren't capped by the tick.
        var tokensPerPeriod = Math.Max(1, (int)Math.Ceiling(limits.PermitsPerMinute / 600.0));
        var period = TimeSpan.FromMinutes(1) * tokensPerPeriod / limits.PermitsPerMinute;
        return api.UseRateLimiter(new RateLimiterOptions
        {
            GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context => RateLimitPartition.GetTokenBucketLimiter(PartitionOf(context), _ =>
                new TokenBucketRateLimiterOptions
                {
                    TokenLimit = limits.Burst,
                    TokensPerPeriod = tokensPerPeriod,
                    ReplenishmentPeriod = period,
                    QueueLimit = 0,
                    AutoReplenishment = true,
                })),
            RejectionStatusCode = StatusCodes.Status429TooManyRequests,
            OnRejected = (rejected, _) => RejectAsync(rejected, period),
        });
    }

    private static string PartitionOf(HttpContext context)
    {
        var user = context.User;
        if (user.FindFirstValue(AccrueClaims.ApiKey) is { } key) return $"key:{key}";
        if (user.FindFirstValue(ClaimTypes.NameIdentifier) is { } id) return $"user:{id}";
        return $"ip:{context.Connection.RemoteIpAddress}";
    }

    private static async ValueTask RejectAsync(OnRejectedContext rejected, TimeSpan period)
    {
        var wait = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : period;
        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        var context = rejected.HttpContext;
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new()
        {
            HttpContext = context,
            ProblemDetails =
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = "Too many requests",
                Detail = $"This API key sent more requests than its limit allows; retry in {seconds} s.",
            },
        });
    }
}
