using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Accrue.Web.Data;
using Accrue.Web.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Accrue.Web.Infrastructure.Security;

/// <summary>
/// <c>Authorization: Bearer acr_{prefix}_{secret}</c>. The prefix finds the key; the secret is
/// compared by its SHA-256 hash in constant time. Keys are high-entropy random values, so a slow
/// password hash adds nothing. A refused request gets a 401 problem whose <c>code</c> says why:
/// <c>api_key_missing</c>, <c>api_key_malformed</c>, <c>api_key_unknown</c> or <c>api_key_revoked</c>
/// (said only to a caller holding the key's secret).
/// </summary>
public sealed class ApiKeyAuthentication(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, AccrueDb db, TimeProvider clock)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    private sealed record Refusal(string Code, string Detail);

    private static readonly object RefusalKey = new();
    private static readonly Refusal Missing = new(Code: "api_key_missing", "Send an API key as Authorization: Bearer acr_….");
    private static readonly Refusal Malformed = new(Code: "api_key_malformed", "This is not an Accrue API key: keys look like acr_{12 characters}_{secret}.");
    private static readonly Refusal Unknown = new(Code: "api_key_unknown", "No API key matches this one; it may have been mistyped or deleted.");
    private static readonly Refusal Revoked = new(Code: "api_key_revoked", "This API key was revoked; create a new one.");

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (header is null || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return Refuse(Missing, fail: false);
        if (!ApiKeys.TryParse(header["Bearer ".Length..].Trim(), out var prefix, out var secret)) return Refuse(Malformed);

        var key = await db.ApiKeys.IgnoreQueryFilters().SingleOrDefaultAsync(k => k.Prefix == prefix);
        if (key is null || !CryptographicOperations.FixedTimeEquals(key.SecretHash, ApiKeys.Hash(secret))) return Refuse(Unknown);
        if (!key.IsActive) return Refuse(Revoked);

        var now = clock.GetUtcNow();
        if (key.LastUsedAt is null || now - key.LastUsedAt > TimeSpan.FromMinutes(1))
            await db.ApiKeys.IgnoreQueryFilters().Where(k => k.Id == key.Id).ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedAt, now));

        var kind = key.OrganizationId is not null ? ActorKind.ApiKey : key.PartnerId is not null ? ActorKind.PartnerStaff : ActorKind.OperatorStaff;
        var claims = new List<Claim>
        {
            new(AccrueClaims.Kind, kind.ToString()),
            new(AccrueClaims.DisplayName, $"API key {key.Name}"),
            new(AccrueClaims.ApiKey, key.Id.ToString()),
        };
        if (key.OrganizationId is { } org) claims.Add(new(AccrueClaims.Organization, org.ToString()));
        if (key.PartnerId is { } partner) claims.Add(new(AccrueClaims.Partner, partner.ToString()));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    private AuthenticateResult Refuse(Refusal refusal, bool fail = true)
    {
        Context.Items[RefusalKey] = refusal;
        return fail ? AuthenticateResult.Fail(refusal.Detail) : AuthenticateResult.NoResult();
    }

    /// <summary>401 ProblemDetails with the reason's code, never a sign-in redirect.</summary>
    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var refusal = Context.Items[RefusalKey] as Refusal ?? Missing;
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        var problem = new Microsoft.AspNetCore.Mvc.ProblemDetails { Status = StatusCodes.Status401Unauthorized, Title = "Unauthorized", Detail = refusal.Detail };
        problem.Extensions["code"] = refusal.Code;
        await Context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new() { HttpContext = Context, ProblemDetails = problem });
    }
}

public static class ApiKeys
{
    public static (ApiKey Key, string Plaintext) Create(string name, Guid? organizationId, Guid? partnerId)
    {
        var prefix = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        var secret = Base64Url(RandomNumberGenerator.GetBytes(32));
        var key = new ApiKey { Name = name, OrganizationId = organizationId, PartnerId = partnerId, Prefix = prefix, SecretHash = Hash(secret) };
        return (key, $"acr_{prefix}_{secret}");
    }

    public static bool TryParse(string token, out string prefix, out string secret)
    {
        prefix = secret = "";
        var parts = token.Split('_', 3);
        if (parts.Length != 3 || parts[0] != "acr" || parts[1].Length != 12 || parts[2].Length < 20) return false;
        (prefix, secret) = (parts[1], parts[2]);
        return true;
    }

    public static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '-');
}
