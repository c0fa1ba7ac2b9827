using System.Security.Cryptography;
using Accrue.Web.Data;
using Accrue.Web.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Infrastructure.Web;

/// <summary>Marks a money-moving API endpoint that honours <c>Idempotency-Key</c>.</summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class)]
public sealed class IdempotentAttribute : Attribute;

/// <summary>
/// <c>Idempotency-Key</c> on money-moving API requests (DESIGN §3). The first request with a key
/// claims it by inserting its row (a primary key, so two requests at once can't both run); its
/// answer is stored and replayed to any later request with the same key and the same method, path
/// and body. The same key with another request is refused with 422, and while the first is still
/// running with 409. Server errors are not kept, so a request that failed on our side can be retried.
/// </summary>
public static class Idempotency
{
    public const string Header = "Idempotency-Key";
    public const int MaxKeyLength = 200;

    /// <summary>Marks the route and declares the answers the key itself can cause: 400 (too long), 409 (first still running), 422 (reused).</summary>
    public static RouteHandlerBuilder Idempotent(this RouteHandlerBuilder builder) =>
        builder.WithMetadata(new IdempotentAttribute()).WithDescription(
                $"Send an `{Header}` header (up to {MaxKeyLength} characters) to make retries safe: the same key and body replay the first answer; "
                + "the same key with another body is refused with 422, and while the first request is still running with 409.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

    public static async Task HandleAsync(HttpContext context, RequestDelegate next)
    {
        var key = context.Request.Headers[Header].ToString();
        if (context.GetEndpoint()?.Metadata.GetMetadata<IdempotentAttribute>() is null || string.IsNullOrEmpty(key))
        {
            await next(context);
            return;
        }
        if (key.Length > MaxKeyLength)
        {
            await ProblemAsync(context, StatusCodes.Status400BadRequest, "Invalid Idempotency-Key", $"An {Header} has at most {MaxKeyLength} characters.");
            return;
        }

        var actor = context.RequestServices.GetRequiredService<CurrentActor>().Value;
        var scope = actor.ApiKeyId is { } apiKey ? $"key:{apiKey}" : $"user:{actor.UserId}";
        var hash = await HashAsync(context.Request);
        var db = context.RequestServices.GetRequiredService<AccrueDb>();
        var clock = context.RequestServices.GetRequiredService<TimeProvider>();

        var record = new IdempotencyRecord { Scope = scope, Key = key, RequestHash = hash, CreatedAt = clock.GetUtcNow() };
        db.IdempotencyRecords.Add(record);
        try
        {
            await db.SaveChangesAsync(context.RequestAborted);
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            var first = await db.IdempotencyRecords.AsNoTracking().SingleAsync(r => r.Scope == scope && r.Key == key, context.RequestAborted);
            await ReplayAsync(context, first, hash);
            return;
        }
        db.ChangeTracker.Clear();

        var original = context.Response.Body;
        using var captured = new MemoryStream();
        context.Response.Body = captured;
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = original;
        }

        var response = context.Response;
        // A fresh context: the endpoint's context may hold changes it decided not to save.
        await using var scopeServices = context.RequestServices.GetRequiredService<IServiceScopeFactory>().CreateAsyncScope();
        scopeServices.ServiceProvider.GetRequiredService<CurrentActor>().Set(Actor.System);
        var store = scopeServices.ServiceProvider.GetRequiredService<AccrueDb>();
        if (response.StatusCode >= 500)
            await store.IdempotencyRecords.Where(r => r.Scope == scope && r.Key == key).ExecuteDeleteAsync(CancellationToken.None);
        else
            await store.IdempotencyRecords.Where(r => r.Scope == scope && r.Key == key).ExecuteUpdateAsync(s => s
                .SetProperty(r => r.StatusCode, response.StatusCode)
                .SetProperty(r => r.ContentType, response.ContentType)
                .SetProperty(r => r.Location, response.Headers.Location.ToString())
                .SetProperty(r => r.Body, captured.ToArray()), CancellationToken.None);

        captured.Position = 0;
        await captured.CopyToAsync(original, context.RequestAborted);
    }

    private static async Task ReplayAsync(HttpContext context, IdempotencyRecord first, string hash)
    {
        if (first.RequestHash != hash)
        {
            await ProblemAsync(context, StatusCodes.Status422UnprocessableEntity, "Idempotency-Key reused",
                $"This {Header} was used for a different request; use a new key for a new request.");
            return;
        }
        if (first.StatusCode is not { } status)
        {
            await ProblemAsync(context, StatusCodes.Status409Conflict, "Request in progress",
                $"The first request with this {Header} is still running; retry in a moment.");
            return;
        }
        context.Response.StatusCode = status;
        context.Response.Headers["Idempotent-Replayed"] = "true";
        if (!string.IsNullOrEmpty(first.Location)) context.Response.Headers.Location = first.Location;
        if (first.ContentType is not null) context.Response.ContentType = first.ContentType;
        if (first.Body is { Length: > 0 } body) await context.Response.Body.WriteAsync(body, context.RequestAborted);
    }

    private static async Task<string> HashAsync(HttpRequest request)
    {
        request.EnableBuffering();
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(System.Text.Encoding.UTF8.GetBytes($"{request.Method} {request.Path}{request.QueryString}\n"));
        var buffer = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(buffer, request.HttpContext.RequestAborted)) > 0) sha.AppendData(buffer, 0, read);
        request.Body.Position = 0;
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    private static async Task ProblemAsync(HttpContext context, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new()
        {
            HttpContext = context,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        });
    }
}
