namespace Accrue.Web.Infrastructure.Web;

/// <summary>
/// A request that changes something (POST, PUT, PATCH, DELETE) runs to its end even when the client hangs
/// up: <see cref="HttpContext.RequestAborted"/> is replaced by a token that is never cancelled, so a card
/// charged is always recorded with its order, a wallet debit with its purchase, and an Idempotency-Key
/// claim with its answer. Reading pages (GET, HEAD) still stop when nobody waits for them.
/// </summary>
public static class RunToCompletion
{
    public static IApplicationBuilder UseRunToCompletion(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method) && !HttpMethods.IsOptions(context.Request.Method))
            context.RequestAborted = CancellationToken.None;
        return next(context);
    });
}
