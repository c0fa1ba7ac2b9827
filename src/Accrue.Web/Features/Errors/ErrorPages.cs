namespace Accrue.Web.Features.Errors;

/// <summary>
/// Errors answer the way the caller reads them: a browser gets the HTML error page, an API client
/// (or anything under <c>/api</c>) RFC 9457 ProblemDetails. Both come from the same status code.
/// </summary>
public static class ErrorPages
{
    public const string Path = "/error";

    public static WebApplication UseErrorPages(this WebApplication app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandlingPath = Path });
        app.UseWhen(IsBrowser, browser => browser.UseStatusCodePagesWithReExecute(Path + "/{0}"));
        app.UseWhen(context => !IsBrowser(context), api => api.UseStatusCodePages());
        return app;
    }

    /// <summary>A page request from a browser: it accepts HTML and isn't calling the API.</summary>
    public static bool IsBrowser(HttpContext context) =>
        !context.Request.Path.StartsWithSegments("/api") && !context.Request.Path.StartsWithSegments("/openapi")
        && context.Request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase));
}
