using Accrue.Web.Infrastructure.Net;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Accrue.Web.Features.Webhooks;

public static class WebhookSetup
{
    public static WebApplicationBuilder AddWebhooks(this WebApplicationBuilder builder)
    {
        builder.Services.Configure<WebhookOptions>(builder.Configuration.GetSection(WebhookOptions.Section));
        builder.Services.AddSingleton<WebhookSignal>();
        builder.Services.AddSingleton<Infrastructure.Jobs.WakeSignal>(sp => sp.GetRequiredService<WebhookSignal>());
        builder.Services.AddScoped<WebhookCommands>();
        // Redirects are not followed: a receiver's answer is its own, and a redirect could point anywhere. Every
        // connection resolves the host, refuses non-public addresses (unless Webhooks:AllowPrivateTargets) and
        // connects to the address it checked.
        builder.Services.TryAddSingleton<HostResolver>();
        builder.Services.AddHttpClient(WebhookDispatcher.HttpClientName, c => c.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(sp =>
            {
                var options = sp.GetRequiredService<IOptionsMonitor<WebhookOptions>>();
                return GuardedConnections.CreateHandler(sp.GetRequiredService<HostResolver>(), () => options.CurrentValue.AllowPrivateTargets);
            });
        builder.Services.AddSingleton<WebhookDispatcher>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<WebhookDispatcher>());
        return builder;
    }
}
