using Accrue.Web.Data;
using Accrue.Web.Features.Api;
using Accrue.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Keys;

/// <summary>An API key as listed: never its secret.</summary>
public sealed record ApiKeyResponse(Guid Id, string Name, string Prefix, ApiKeyScope Scope, Guid? OrganizationId, Guid? PartnerId,
    DateTimeOffset CreatedAt, string? CreatedBy, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt)
{
    public static ApiKeyResponse From(ApiKey k) =>
        new(k.Id, k.Name, k.Prefix, ApiKeyCommands.ScopeOf(k), k.OrganizationId, k.PartnerId, k.CreatedAt, k.CreatedBy, k.LastUsedAt, k.RevokedAt);
}

/// <summary>The answer to creating a key: the key and, this once, its secret (<c>acr_{prefix}_{secret}</c>, sent as <c>Authorization: Bearer …</c>).</summary>
public sealed record CreatedApiKeyResponse(ApiKeyResponse Key, string Secret);

/// <summary>/api/v1/api-keys: create, list, read and revoke keys with a key of sufficient rights (<see cref="ApiKeyCommands"/>).</summary>
public static class ApiKeysApi
{
    public static RouteGroupBuilder MapApiKeysApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/api-keys").WithTags("API keys");
        group.MapGet("", ListAsync).WithName("ListApiKeys")
            .WithSummary("The keys the calling key may manage: all for an operator key, the partner's and its organizations' for a partner key, the organization's for an organization key.")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        group.MapPost("", CreateAsync).WithName("CreateApiKey")
            .WithSummary("Creates a key with at most the calling key's rights; the answer holds its secret, shown this once.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden);
        group.MapGet("/{id:guid}", GetAsync).WithName("GetApiKey")
            .WithSummary("One key the calling key may manage (never its secret).")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{id:guid}/revoke", RevokeAsync).WithName("RevokeApiKey")
            .WithSummary("Revokes the key: requests with it are refused from now on.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    private static async Task<Results<Ok<Page<ApiKeyResponse>>, ProblemHttpResult>> ListAsync(
        ApiKeyCommands keys, CancellationToken ct, int? limit = null, string? cursor = null)
    {
        var page = Paging.Parse(limit, cursor);
        if (page.Failed(out var failure)) return failure.ToProblem();
        return TypedResults.Ok(await keys.Visible().AsNoTracking().PageAsync(page.Value, ApiKeyResponse.From, ct));
    }

    private static async Task<Results<Created<CreatedApiKeyResponse>, ProblemHttpResult>> CreateAsync(
        ApiKeyInput input, ApiKeyCommands keys, HttpContext http, CancellationToken ct)
    {
        var created = await keys.CreateAsync(input, ct);
        if (created.Failed(out var failure)) return failure.ToProblem();
        var (key, secret) = created.Value;
        // The secret must not linger in any cache between here and the caller.
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Created($"{ApiSetup.Prefix}/api-keys/{key.Id}", new CreatedApiKeyResponse(ApiKeyResponse.From(key), secret));
    }

    private static async Task<Results<Ok<ApiKeyResponse>, ProblemHttpResult>> GetAsync(Guid id, ApiKeyCommands keys, CancellationToken ct)
    {
        var found = await keys.FindAsync(id, ct);
        return found.Failed(out var failure) ? failure.ToProblem() : TypedResults.Ok(ApiKeyResponse.From(found.Value));
    }

    private static async Task<Results<Ok<ApiKeyResponse>, ProblemHttpResult>> RevokeAsync(Guid id, ApiKeyCommands keys, CancellationToken ct)
    {
        var revoked = await keys.RevokeAsync(id, ct);
        return revoked.Failed(out var failure) ? failure.ToProblem() : TypedResults.Ok(ApiKeyResponse.From(revoked.Value));
    }
}
