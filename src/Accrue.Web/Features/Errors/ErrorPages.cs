using Accrue.Web.Infrastructure.Web;

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
        app.UseWhen(Problems.IsBrowser, browser => browser.UseStatusCodePagesWithReExecute(Path + "/{0}"));
        app.UseWhen(context => !Problems.IsBrowser(context), api => api.UseStatusCodePages());
        return app;
    }
}
