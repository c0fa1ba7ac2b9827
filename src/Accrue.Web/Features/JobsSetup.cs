using Accrue.Web.Features.Bills;
using Accrue.Web.Features.Orders;
using Accrue.Web.Features.Renewals;
using Accrue.Web.Features.Wallet;
using Accrue.Web.Infrastructure.Web;
namespace Accrue.Web.Features;

public static class JobsSetup
{
    /// <summary>
    /// The scheduled work (issue 6 §2): each job is a scoped service with RunAsync (what the console
    /// buttons and the tests call) and a <see cref="ScheduledJob"/> that runs it on one instance per
    /// round. "Jobs:Schedule" false leaves the schedules out (tests drive the jobs with a moved clock);
    /// the email outbox is always dispatched. "Billing:Scheduled" false leaves billing to the <c>bill</c> command.
    /// </summary>
    public static WebApplicationBuilder AddJobs(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;
        services.Configure<DunningOptions>(configuration.GetSection("Dunning"));
        services.Configure<ReminderOptions>(configuration.GetSection("Reminders"));
        services.Configure<OrderTimeoutOptions>(configuration.GetSection("Orders"));
        services.Configure<WalletAlertOptions>(configuration.GetSection("WalletAlerts"));
        services.Configure<IdempotencyPruningOptions>(configuration.GetSection("Idempotency"));
        services.Configure<BillingOptions>(configuration.GetSection("Billing"));
        services.AddScoped<BillingRunner>();
        services.AddScoped<Dunning>();
        services.AddScoped<UpcomingRenewals>();
        services.AddScoped<RenewalReminders>();
        services.AddScoped<OrderTimeouts>();
        services.AddScoped<WalletAlerts>();
        services.AddScoped<IdempotencyPruning>();
        services.AddScoped<ExpiryNotice>();
        if (configuration.GetValue("Jobs:Schedule", true))
        {
            services.AddHostedService<DunningJob>();
            services.AddHostedService<RenewalReminderJob>();
            services.AddHostedService<OrderTimeoutJob>();
            services.AddHostedService<WalletAlertJob>();
            services.AddHostedService<IdempotencyPruningJob>();
            if (configuration.GetValue("Billing:Scheduled", true)) services.AddHostedService<BillingSchedule>();
        }
        return builder;
    }
}
