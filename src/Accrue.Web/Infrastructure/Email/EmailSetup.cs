namespace Accrue.Web.Infrastructure.Email;

public static class EmailSetup
{
    public static WebApplicationBuilder AddEmail(this WebApplicationBuilder builder)
    {
        builder.Services.Configure<EmailOptions>(builder.Configuration.GetSection("Email"));
        builder.Services.AddSingleton<OutboxSignal>();
        builder.Services.AddSingleton<Infrastructure.Jobs.WakeSignal>(sp => sp.GetRequiredService<OutboxSignal>());
        builder.Services.AddScoped<Mailer>();
        builder.Services.AddSingleton<OutboxDispatcher>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<OutboxDispatcher>());
        return builder;
    }
}
