namespace Accrue.Web.Infrastructure.Security;

public static class SecurityHeaders
{
    // Pages load only our own scripts and styles; nothing may frame them (clickjacking).
    private const string Csp = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        + "font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'self'; object-src 'none'; frame-ancestors 'none'";

    // The API reference UI is a single page that needs inline script and style.
    private const string ReferenceCsp = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
        + "script-src 'self' 'unsafe-inline'; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'";

    // Stripe mode: Stripe.js and its card fields (Elements, in Stripe's frames) on our pages (docs/decisions/0007-stripe.md).
    private const string StripeCsp = "default-src 'self'; img-src 'self' data: https://*.stripe.com; style-src 'self'; script-src 'self' https://js.stripe.com; "
        + "frame-src https://js.stripe.com https://hooks.stripe.com; font-src 'self'; connect-src 'self' https://api.stripe.com; "
        + "form-action 'self'; base-uri 'self'; object-src 'none'; frame-ancestors 'none'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app)
    {
        var pages = app.ApplicationServices.GetRequiredService<IConfiguration>()
            .GetSection(Payments.PaymentsOptions.Section).Get<Payments.PaymentsOptions>()?.UsesStripe == true ? StripeCsp : Csp;
        return app.Use(async (context, next) =>
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = context.Request.Path.StartsWithSegments("/api-reference") ? ReferenceCsp : pages;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        await next();
    });
    }
}
