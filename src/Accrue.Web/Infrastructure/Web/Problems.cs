using Accrue.Domain.Common;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Accrue.Web.Infrastructure.Web;

/// <summary>The one place expected failures become HTTP answers and form errors.</summary>
public static class Problems
{
    public static ProblemHttpResult ToProblem(this Failure failure) => TypedResults.Problem(new ProblemDetails
    {
        Status = failure.Kind switch
        {
            FailureKind.NotFound => StatusCodes.Status404NotFound,
            FailureKind.Forbidden => StatusCodes.Status403Forbidden,
            FailureKind.Conflict => StatusCodes.Status409Conflict,
            FailureKind.TooManyRequests => StatusCodes.Status429TooManyRequests,
            _ => StatusCodes.Status400BadRequest,
        },
        Title = failure.Kind switch
        {
            FailureKind.NotFound => "Not found",
            FailureKind.Forbidden => "Forbidden",
            FailureKind.Conflict => "Conflict",
            FailureKind.TooManyRequests => "Too many requests",
            _ => "Invalid request",
        },
        Type = failure.Kind == FailureKind.TooManyRequests ? "https://tools.ietf.org/html/rfc6585#section-4" : null,
        Detail = failure.Message,
        Extensions = Extensions(failure),
    });

    /// <summary>The extension that carries a 429's wait in whole seconds; <see cref="WebSetup"/> copies it into <c>Retry-After</c>.</summary>
    public const string RetryAfterKey = "retryAfter";

    private static Dictionary<string, object?> Extensions(Failure failure)
    {
        var extensions = new Dictionary<string, object?> { ["code"] = failure.Code ?? DefaultCode(failure.Kind) };
        if (failure.Errors is not null) extensions["errors"] = failure.Errors.ToDictionary(e => CamelCase(e.Key), e => e.Value);
        if (failure.RetryAfter is { } wait) extensions[RetryAfterKey] = (int)Math.Ceiling(wait.TotalSeconds);
        return extensions;
    }

    /// <summary>The code of a failure that names none: one per kind, listed in docs/errors.md.</summary>
    public static string DefaultCode(FailureKind kind) => kind switch
    {
        FailureKind.NotFound => "not_found",
        FailureKind.Forbidden => "forbidden",
        FailureKind.Conflict => "conflict",
        FailureKind.TooManyRequests => "rate_limited",
        _ => "validation_failed",
    };

    /// <summary>Field names as the JSON bodies spell them: <c>Lines[0].UnitAmount</c> → <c>lines[0].unitAmount</c>.</summary>
    public static string CamelCase(string field) =>
        string.Join('.', field.Split('.').Select(part => part.Length == 0 ? part : char.ToLowerInvariant(part[0]) + part[1..]));

    /// <summary>Sends a problem's <see cref="RetryAfterKey"/> as the <c>Retry-After</c> header (RFC 9110 §10.2.3).</summary>
    public static void AddRetryAfter(ProblemDetailsContext context)
    {
        if (context.ProblemDetails.Extensions.TryGetValue(RetryAfterKey, out var wait) && wait is int seconds)
            context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>How a console page answers a failure: 404 and 403 as such, anything else beside the fields.</summary>
    public static IActionResult ToPageResult(this Failure failure, PageModel page, string prefix = "Input")
    {
        switch (failure.Kind)
        {
            case FailureKind.NotFound: return page.NotFound();
            case FailureKind.Forbidden: return page.Forbid();
            default:
                failure.AddTo(page.ModelState, prefix);
                return page.Page();
        }
    }

    /// <summary>Puts a failure beside the form fields it names (prefix: the page's bound model name).</summary>
    public static void AddTo(this Failure failure, ModelStateDictionary modelState, string prefix = "Input")
    {
        if (failure.Errors is null || failure.Errors.Count == 0)
        {
            modelState.AddModelError(string.Empty, failure.Message);
            return;
        }
        foreach (var (field, messages) in failure.Errors)
            foreach (var message in messages)
                modelState.AddModelError(string.IsNullOrEmpty(prefix) ? field : $"{prefix}.{field}", message);
    }
}

/// <summary>Unexpected exceptions: logged, answered with a bare 500 ProblemDetails, no internals leaked.</summary>
public sealed class UnexpectedExceptionHandler(IProblemDetailsService problems, ILogger<UnexpectedExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is BadHttpRequestException { InnerException: System.Text.Json.JsonException json })
        {
            await JsonBodyErrors.ToFailure(httpContext, json).ToProblem().ExecuteAsync(httpContext);
            return true;
        }
        // A browser gets the HTML error page (ExceptionHandlerOptions.ExceptionHandlingPath) with the same status.
        var browser = Features.Errors.ErrorPages.IsBrowser(httpContext);
        if (exception is BadHttpRequestException bad)
        {
            httpContext.Response.StatusCode = bad.StatusCode;
            return !browser && await problems.TryWriteAsync(new() { HttpContext = httpContext, ProblemDetails = { Status = bad.StatusCode, Title = "Bad request", Detail = bad.Message } });
        }
        logger.LogError(exception, "Unhandled exception on {Path}", httpContext.Request.Path);
        httpContext.Response.StatusCode = StatusCodes.Status500InternalServerError;
        return !browser && await problems.TryWriteAsync(new() { HttpContext = httpContext, ProblemDetails = { Status = 500, Title = "Something went wrong", Detail = "The error was logged." } });
    }
}
