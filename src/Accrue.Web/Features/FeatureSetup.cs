using Accrue.Web.Data;
using Accrue.Web.Features.Api;
using Accrue.Web.Features.Catalog;
using Accrue.Web.Features.Members;
using Accrue.Web.Features.Organizations;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Accrue.Web.Features;

/// <summary>The table of contents of what Accrue does: each area registers its services and endpoints here.</summary>
public static class FeatureSetup
{
    public static WebApplicationBuilder AddFeatures(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<OrganizationCommands>();
        builder.Services.AddScoped<MemberCommands>();
        builder.Services.AddScoped<PermissionSetCommands>();
        builder.Services.AddScoped<Subscriptions.SubscriptionCommands>();
        builder.Services.AddScoped<Orders.OrderCommands>();
        builder.Services.AddScoped<Orders.Fulfiller>();
        builder.Services.AddScoped<Invoices.Invoicing>();
        builder.Services.AddScoped<Wallet.WalletLedger>();
        builder.Services.AddScoped<Wallet.WalletCommands>();
        builder.Services.AddScoped<Usage.UnitLedger>();
        builder.Services.TryAddSingleton<Infrastructure.Payments.IPaymentGateway, Infrastructure.Payments.SandboxGateway>();
        builder.Services.AddSingleton<Infrastructure.Pdf.InvoicePdf>();
        builder.Services.AddScoped<CatalogCommands>();
        builder.Services.AddScoped<Shared.Branding>();
        builder.Services.AddScoped<Shared.PortalContext>();
        builder.AddApi();
        return builder;
    }

    public static WebApplication MapFeatures(this WebApplication app)
    {
        app.MapRazorPages();
        app.MapApi();
        app.MapSlaDownloads();
        app.MapGet("/healthz", async (AccrueDb db, CancellationToken ct) =>
            await CanConnectAsync(db, ct)
                ? Results.Ok(new { status = "healthy" })
                : Results.Json(new { status = "unhealthy" }, statusCode: StatusCodes.Status503ServiceUnavailable))
            .ExcludeFromDescription();
        return app;
    }

    private static async Task<bool> CanConnectAsync(AccrueDb db, CancellationToken ct)
    {
        try { return await db.Database.CanConnectAsync(ct); }
        catch (Exception) { return false; }
    }
}
