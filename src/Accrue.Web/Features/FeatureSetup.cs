using Accrue.Web.Data;
using Accrue.Web.Features.Catalog;
using Accrue.Web.Features.Members;
using Accrue.Web.Features.Organizations;
using Accrue.Web.Features.Payments;
using Accrue.Web.Features.RemoteSupport;
using Accrue.Web.Features.Webhooks;
using Accrue.Web.Infrastructure.Payments;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Accrue.Web.Features;

/// <summary>The table of contents of what Accrue does: each area registers its services and endpoints here.</summary>
public static class FeatureSetup
{
    public static WebApplicationBuilder AddFeatures(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<Account.AccountNotices>();
        builder.Services.AddScoped<Keys.ApiKeyCommands>();
        builder.Services.AddScoped<OrganizationCommands>();
        builder.Services.AddScoped<AccountDeletion>();
        builder.Services.AddScoped<AccountExport>();
        builder.Services.AddScoped<MemberCommands>();
        builder.Services.AddScoped<PermissionSetCommands>();
        builder.Services.AddScoped<Support.TicketCommands>();
        builder.Services.AddScoped<Support.SupportSetupCommands>();
        builder.AddRemoteSupport();
        builder.Services.AddScoped<Faq.FaqCommands>();
        builder.Services.AddSingleton<Faq.MarkdownRenderer>();
        builder.Services.AddScoped<Subscriptions.SubscriptionCommands>();
        builder.Services.AddScoped<Orders.OrderCommands>();
        builder.Services.AddScoped<Orders.CheckoutPayments>();
        builder.Services.AddScoped<Orders.Fulfiller>();
        builder.Services.AddScoped<Invoices.Invoicing>();
        builder.Services.AddScoped<Wallet.WalletLedger>();
        builder.Services.AddScoped<Wallet.WalletCommands>();
        builder.Services.AddScoped<Usage.UnitLedger>();
        builder.Services.AddScoped<Usage.UnitCommands>();
        builder.Services.AddScoped<Usage.MeterCommands>();
        builder.Services.AddScoped<Usage.UsageIngestion>();
        builder.Services.AddScoped<Payments.CardOnFileCommands>();
        builder.AddPayments();
        builder.Services.AddScoped<Bills.BillCommands>();
        builder.AddJobs();
        builder.Services.AddScoped<Vouchers.VoucherCommands>();
        builder.AddWebhooks();
        builder.Services.AddScoped<Vouchers.VoucherSale>();
        builder.Services.AddSingleton<Vouchers.VoucherSheet>();
        builder.Services.Configure<Vouchers.VoucherOptions>(builder.Configuration.GetSection("Vouchers"));
        builder.Services.AddSingleton<Infrastructure.Pdf.InvoicePdf>();
        builder.Services.AddScoped<CatalogCommands>();
        builder.Services.AddScoped<Shared.Branding>();
        builder.Services.AddScoped<Shared.PortalContext>();
        builder.Services.Configure<Microsoft.AspNetCore.Mvc.RazorPages.RazorPagesOptions>(o =>
            o.Conventions.AddFolderApplicationModelConvention("/Portal", page => page.Filters.Add(new Shared.ReadOnlyPortalFilter())));
        builder.AddApi();
        return builder;
    }

    public static WebApplication MapFeatures(this WebApplication app)
    {
        app.MapRazorPages();
        app.MapApi();
        app.MapSlaDownloads();
        app.MapStripeWebhook();
        app.MapGet("/healthz", async (AccrueDb db, CancellationToken ct) =>
            await CanConnectAsync(db, ct)
                ? Results.Ok(new { status = "healthy" })
                : Results.Json(new { status = "unhealthy" }, statusCode: StatusCodes.Status503ServiceUnavailable))
            .ExcludeFromDescription();
        return app;
    }

    /// <summary>"Payments:Gateway" chooses the card processor: Sandbox (default) or Stripe. Tests may register their own first.</summary>
    private static void AddPayments(this WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(PaymentsOptions.Section);
        builder.Services.Configure<PaymentsOptions>(section);
        if (section.Get<PaymentsOptions>()?.UsesStripe == true)
            builder.Services.TryAddSingleton<IPaymentGateway, StripeGateway>();
        else
            builder.Services.TryAddSingleton<IPaymentGateway, SandboxGateway>();
    }

    private static async Task<bool> CanConnectAsync(AccrueDb db, CancellationToken ct)
    {
        try { return await db.Database.CanConnectAsync(ct); }
        catch (Exception) { return false; }
    }
}
