using System.Runtime.ExceptionServices;
using System.Security.Cryptography;
using Accrue.Web.Data;
using Accrue.Web.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Accrue.Web.Infrastructure.Web;

/// <summary>Marks a money-moving API endpoint that honours <c>Idempotency-Key</c>.</summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class)]
public sealed class IdempotentAttribute : Attribute;

/// <summary>Configuration section "Idempotency" (shared with the pruning job's settings).</summary>
public sealed class IdempotencyOptions
{
    /// <summary>A claim still "running" after this long is taken to belong to a request that died with its process; a retry resumes it.</summary>
    public TimeSpan StaleAfter { get; set; } = TimeSpan.FromMinutes(5);
}

/// <summary>
/// <c>Idempotency-Key</c> on money-moving API requests (DESIGN §3). The first request with a key
/// claims it by inserting its row (a primary key, so two requests at once can't both run); its
/// answer is stored and replayed to any later request with the same key and the same method, path
/// and body. The same key with another request is refused with 422, and while the first is still
/// running with 409.
/// <para>
/// The claim is always resolved. The client hanging up doesn't stop the work (<see cref="RunToCompletion"/>),
/// so its answer is stored as usual. When the endpoint throws or answers 5xx, the claim is released if none of
/// the request's work committed (<see cref="IdempotencyRecord.EffectCommitted"/>, written in the work's own
/// transactions), so the retry starts afresh; otherwise it is kept as interrupted and the retry resumes:
/// it runs the endpoint again, and the effects already made under the key (the order, the payment, the
/// wallet posting) are found by their unique request key and answered with, not repeated.
/// </para>
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
            await ProblemAsync(context, StatusCodes.Status400BadRequest, "Invalid Idempotency-Key", $"An {Header} has at most {MaxKeyLength} characters.",
                code: "idempotency_key_too_long");
            return;
        }

        var actor = context.RequestServices.GetRequiredService<CurrentActor>().Value;
        var scope = actor.ApiKeyId is { } apiKey ? $"key:{apiKey}" : $"user:{actor.UserId}";
        var hash = await HashAsync(context.Request);
        var db = context.RequestServices.GetRequiredService<AccrueDb>();
        var clock = context.RequestServices.GetRequiredService<TimeProvider>();

        // From here on nothing is cancelled by the client: a claim half-written would stay unresolved.
        var now = clock.GetUtcNow();
        db.IdempotencyRecords.Add(new IdempotencyRecord { Scope = scope, Key = key, RequestHash = hash, CreatedAt = now, StartedAt = now });
        try
        {
            await db.SaveChangesAsync(CancellationToken.None);
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            var first = await db.IdempotencyRecords.AsNoTracking().SingleAsync(r => r.Scope == scope && r.Key == key, CancellationToken.None);
            if (first.RequestHash != hash)
            {
                await ProblemAsync(context, StatusCodes.Status422UnprocessableEntity, "Idempotency-Key reused",
                    $"This {Header} was used for a different request; use a new key for a new request.", code: "idempotency_key_reused");
                return;
            }
            if (first.StatusCode is not null)
            {
                await ReplayAsync(context, first);
                return;
            }
            if (!await TakeOverAsync(context, db, scope, key, now))
            {
                await ProblemAsync(context, StatusCodes.Status409Conflict, "Request in progress",
                    $"The first request with this {Header} is still running; retry in a moment.", code: "idempotency_in_progress", retryAfter: 1);
                return;
            }
            // An earlier attempt failed after committing part of its work: run again and let the work find what it did.
        }
        db.ChangeTracker.Clear();
        db.Claim = new IdempotencyClaim(scope, key);

        var original = context.Response.Body;
        using var captured = new MemoryStream();
        context.Response.Body = captured;
        ExceptionDispatchInfo? failed = null;
        try
        {
            await next(context);
        }
        catch (Exception e)
        {
            failed = ExceptionDispatchInfo.Capture(e);
        }
        finally
        {
            context.Response.Body = original;
            db.Claim = null;
        }

        var response = context.Response;
        // A fresh context: the endpoint's context may hold changes it decided not to save.
        await using var scopeServices = context.RequestServices.GetRequiredService<IServiceScopeFactory>().CreateAsyncScope();
        scopeServices.ServiceProvider.GetRequiredService<CurrentActor>().Set(Actor.System);
        var store = scopeServices.ServiceProvider.GetRequiredService<AccrueDb>();
        var claim = store.IdempotencyRecords.Where(r => r.Scope == scope && r.Key == key);
        if (failed is not null || response.StatusCode >= 500)
        {
            // Nothing of the work committed: release the key. Something did: keep it, marked interrupted, for the retry to resume.
            if (await claim.Where(r => !r.EffectCommitted).ExecuteDeleteAsync(CancellationToken.None) == 0)
                await claim.ExecuteUpdateAsync(s => s.SetProperty(r => r.StartedAt, (DateTimeOffset?)null), CancellationToken.None);
        }
        else
            await claim.ExecuteUpdateAsync(s => s
                .SetProperty(r => r.StatusCode, response.StatusCode)
                .SetProperty(r => r.ContentType, response.ContentType)
                .SetProperty(r => r.Location, response.Headers.Location.ToString())
                .SetProperty(r => r.Body, captured.ToArray())
                .SetProperty(r => r.StartedAt, (DateTimeOffset?)null), CancellationToken.None);

        failed?.Throw();
        captured.Position = 0;
        try
        {
            await captured.CopyToAsync(original, CancellationToken.None);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
            // The client hung up; the answer is stored for its retry.
        }
    }

    /// <summary>Takes over an interrupted claim, or one left running by a request that died; only one retry wins.</summary>
    private static async Task<bool> TakeOverAsync(HttpContext context, AccrueDb db, string scope, string key, DateTimeOffset now)
    {
        var stale = now - context.RequestServices.GetRequiredService<IOptions<IdempotencyOptions>>().Value.StaleAfter;
        return await db.IdempotencyRecords
            .Where(r => r.Scope == scope && r.Key == key && r.StatusCode == null && (r.StartedAt == null || r.StartedAt < stale))
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.StartedAt, now), CancellationToken.None) == 1;
    }

    private static async Task ReplayAsync(HttpContext context, IdempotencyRecord first)
    {
        context.Response.StatusCode = first.StatusCode!.Value;
        context.Response.Headers["Idempotent-Replayed"] = "true";
        if (!string.IsNullOrEmpty(first.Location)) context.Response.Headers.Location = first.Location;
        if (first.ContentType is not null) context.Response.ContentType = first.ContentType;
        if (first.Body is { Length: > 0 } body) await context.Response.Body.WriteAsync(body, CancellationToken.None);
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

    private static async Task ProblemAsync(HttpContext context, int status, string title, string detail, string code, int? retryAfter = null)
    {
        context.Response.StatusCode = status;
        var problem = new Microsoft.AspNetCore.Mvc.ProblemDetails { Status = status, Title = title, Detail = detail };
        problem.Extensions["code"] = code;
        if (retryAfter is { } seconds) problem.Extensions[Problems.RetryAfterKey] = seconds;
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new() { HttpContext = context, ProblemDetails = problem });
    }
}
