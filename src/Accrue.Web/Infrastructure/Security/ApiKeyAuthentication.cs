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
/// password hash adds nothing.
/// </summary>
public sealed class ApiKeyAuthentication(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, AccrueDb db, TimeProvider clock)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (header is null || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return AuthenticateResult.NoResult();
        if (!ApiKeys.TryParse(header["Bearer ".Length..].Trim(), out var prefix, out var secret))
            return AuthenticateResult.Fail("Malformed API key.");

        var key = await db.ApiKeys.IgnoreQueryFilters().SingleOrDefaultAsync(k => k.Prefix == prefix);
        if (key is null || !key.IsActive || !CryptographicOperations.FixedTimeEquals(key.SecretHash, ApiKeys.Hash(secret)))
            return AuthenticateResult.Fail("Unknown or revoked API key.");

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
