using Accrue.Domain.Common;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Accrue.Web.Infrastructure.Web;

/// <summary>The one place expected failures become HTTP answers and form errors.</summary>
public static partial class Problems
{
    /// <summary>A page request from a browser: it accepts HTML and isn't calling the API.</summary>
    public static bool IsBrowser(HttpContext context) =>
        !context.Request.Path.StartsWithSegments("/api") && !context.Request.Path.StartsWithSegments("/openapi")
        && context.Request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase));

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

    /// <summary>
    /// Every problem this app writes goes through here (<c>ProblemDetailsOptions.CustomizeProblemDetails</c>): a
    /// problem without a <c>code</c> (status-code pages, the rate limiter, framework answers) gets the one of its
    /// status, and a 429's wait becomes the <c>Retry-After</c> header.
    /// </summary>
    public static void Customize(ProblemDetailsContext context)
    {
        AddRetryAfter(context);
        var problem = context.ProblemDetails;
        if (!problem.Extensions.ContainsKey("code"))
            problem.Extensions["code"] = CodeForStatus(problem.Status ?? context.HttpContext.Response.StatusCode);
    }

    /// <summary>The code of a problem no failure named, by its HTTP status; listed in docs/errors.md.</summary>
    public static string CodeForStatus(int status) => status switch
    {
        StatusCodes.Status400BadRequest => "bad_request",
        StatusCodes.Status401Unauthorized => "unauthorized",
        StatusCodes.Status403Forbidden => "forbidden",
        StatusCodes.Status404NotFound => "not_found",
        StatusCodes.Status405MethodNotAllowed => "method_not_allowed",
        StatusCodes.Status409Conflict => "conflict",
        StatusCodes.Status413PayloadTooLarge => "request_too_large",
        StatusCodes.Status415UnsupportedMediaType => "unsupported_media_type",
        StatusCodes.Status422UnprocessableEntity => "unprocessable",
        StatusCodes.Status429TooManyRequests => "rate_limited",
        >= 500 => "internal_error",
        _ => "bad_request",
    };

    /// <summary>
    /// A parameter model binding could not read (a date that isn't one, a missing body), as a field error
    /// with <c>validation_failed</c>: the field as the request spells it (<c>asOf</c>, a query parameter's
    /// name), with what to send instead.
    /// </summary>
    public static ProblemDetails BindingProblem(BadHttpRequestException bad)
    {
        if (bad.StatusCode == StatusCodes.Status415UnsupportedMediaType)
            return new ProblemDetails
            {
                Status = bad.StatusCode, Title = "Unsupported media type", Detail = "Send the body as application/json.",
                Extensions = { ["code"] = "unsupported_media_type" },
            };
        if (bad.StatusCode != StatusCodes.Status400BadRequest)
            return new ProblemDetails { Status = bad.StatusCode, Title = "Bad request", Detail = bad.Message };

        var (field, message) = Describe(bad);
        return new ProblemDetails
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "Invalid request",
            Detail = "One or more fields are invalid.",
            Extensions =
            {
                ["code"] = DefaultCode(FailureKind.Invalid),
                ["errors"] = new Dictionary<string, string[]> { [CamelCase(field)] = [message] },
            },
        };
    }

    private static (string Field, string Message) Describe(BadHttpRequestException bad)
    {
        var parameter = ParameterPattern().Match(bad.Message);
        var name = parameter.Success ? parameter.Groups["name"].Value : "body";
        // JSON that doesn't parse or holds a value of the wrong type is answered by JsonBodyErrors before this.
        if (bad.Message.StartsWith("Required parameter", StringComparison.Ordinal) || bad.Message.StartsWith("Implicit body", StringComparison.Ordinal))
            return bad.Message.Contains("from body", StringComparison.Ordinal) || bad.Message.StartsWith("Implicit body", StringComparison.Ordinal)
                ? ("body", "Send a JSON body.")
                : (name, "This value is required.");
        return (name, parameter.Success ? Expect(parameter.Groups["type"].Value) : "This value is not valid here.");
    }

    /// <summary>What to send for a value of <paramref name="typeName"/> ("DateOnly", "System.Nullable`1[System.Guid]", an enum).</summary>
    private static string Expect(string typeName)
    {
        var inner = NullablePattern().Match(typeName);
        var name = (inner.Success ? inner.Groups["t"].Value : typeName).TrimEnd('?');
        var shortName = name[(name.LastIndexOf('.') + 1)..];
        switch (shortName)
        {
            case "DateOnly": return "Enter a date as yyyy-MM-dd.";
            case "DateTimeOffset" or "DateTime": return "Enter a date and time in ISO 8601, such as 2026-01-31T12:00:00Z.";
            case "Guid": return "Enter an id (a UUID).";
            case "Int16" or "Int32" or "Int64" or "int" or "long" or "short": return "Enter a whole number.";
            case "Decimal" or "Double" or "Single" or "decimal" or "double": return "Enter an amount such as \"10.00\".";
            case "Boolean" or "bool": return "Enter true or false.";
        }
        var type = AppDomain.CurrentDomain.GetAssemblies().Where(a => a.GetName().Name?.StartsWith("Accrue", StringComparison.Ordinal) == true)
            .Select(a => a.GetType(name, throwOnError: false)).FirstOrDefault(t => t is not null)
            ?? AppDomain.CurrentDomain.GetAssemblies().Where(a => a.GetName().Name?.StartsWith("Accrue", StringComparison.Ordinal) == true)
                .SelectMany(a => a.GetTypes()).FirstOrDefault(t => t.IsEnum && t.Name == shortName);
        return type is { IsEnum: true } ? $"Enter one of: {string.Join(", ", Enum.GetNames(type))}." : "This value is not valid here.";
    }

    [System.Text.RegularExpressions.GeneratedRegex("parameter \"(?<type>[^\"]*) (?<name>[^\" ]+)\"")]
    private static partial System.Text.RegularExpressions.Regex ParameterPattern();

    [System.Text.RegularExpressions.GeneratedRegex("Nullable(`1\\[|<)(?<t>[^\\]>]+)(\\]|>)")]
    private static partial System.Text.RegularExpressions.Regex NullablePattern();

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
    private static void AddRetryAfter(ProblemDetailsContext context)
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
        var browser = Problems.IsBrowser(httpContext);
        if (exception is BadHttpRequestException bad)
        {
            httpContext.Response.StatusCode = bad.StatusCode;
            return !browser && await problems.TryWriteAsync(new() { HttpContext = httpContext, ProblemDetails = Problems.BindingProblem(bad) });
        }
        if (exception is InvalidDataException && httpContext.Request.HasFormContentType)
        {
            // A form ASP.NET Core can't read (too many fields, a field too long).
            httpContext.Response.StatusCode = StatusCodes.Status400BadRequest;
            return !browser && await problems.TryWriteAsync(new()
            {
                HttpContext = httpContext,
                ProblemDetails =
                {
                    Status = 400, Title = "Invalid request", Detail = "One or more fields are invalid.",
                    Extensions = { ["code"] = "validation_failed", ["errors"] = new Dictionary<string, string[]> { ["form"] = ["The form could not be read."] } },
                },
            });
        }
        logger.LogError(exception, "Unhandled exception on {Path}", httpContext.Request.Path);
        httpContext.Response.StatusCode = StatusCodes.Status500InternalServerError;
        return !browser && await problems.TryWriteAsync(new() { HttpContext = httpContext, ProblemDetails = { Status = 500, Title = "Something went wrong", Detail = "The error was logged." } });
    }
}
