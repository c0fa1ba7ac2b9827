using Accrue.Domain.Common;
using Accrue.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Keys;

/// <summary>What a key may do: the whole operator, one partner's organizations, or one organization (with its Owner's rights).</summary>
public enum ApiKeyScope { Operator, Partner, Organization }

/// <summary>A key to create: named after what uses it; narrowed to an organization or a partner, or (neither) the caller's own scope.</summary>
public sealed record ApiKeyInput(string? Name, Guid? OrganizationId = null, Guid? PartnerId = null);

/// <summary>
/// API keys made and revoked through the API (issue 15 D35), by a key of sufficient rights: an operator key
/// manages every key, a partner key its partner's keys and its organizations' keys, an organization key (the
/// Owner's rights) its organization's keys. A key never creates a key with more rights than itself.
/// The secret exists only in the answer to the create request; the row keeps its SHA-256 hash.
/// </summary>
public sealed class ApiKeyCommands(AccrueDb db, TimeProvider clock)
{
    public const int NameMaxLength = 100;

    /// <summary>The keys the calling key may see and revoke.</summary>
    public IQueryable<ApiKey> Visible()
    {
        var actor = db.Actor;
        if (actor.OrganizationId is { } organizationId) return db.ApiKeys.Where(k => k.OrganizationId == organizationId);
        if (actor.PartnerId is { } partnerId)
            return db.ApiKeys.IgnoreQueryFilters().Where(k => k.PartnerId == partnerId
                || (k.OrganizationId != null && db.Organizations.Any(o => o.Id == k.OrganizationId && o.PartnerId == partnerId)));
        return actor.IsOperator ? db.ApiKeys.IgnoreQueryFilters() : db.ApiKeys.Where(_ => false);
    }

    public async Task<Result<(ApiKey Key, string Secret)>> CreateAsync(ApiKeyInput input, CancellationToken ct = default)
    {
        var actor = db.Actor;
        var errors = new FieldErrors().Require(nameof(ApiKeyInput.Name), input.Name, "Name", NameMaxLength);
        if (input.OrganizationId is not null && input.PartnerId is not null)
            errors.Add(nameof(ApiKeyInput.PartnerId), "A key is for one organization or one partner: give organizationId or partnerId, not both.");
        if (errors.Any) return errors.ToFailure() with { Code = "api_key_invalid" };

        Guid? organizationId = actor.OrganizationId, partnerId = actor.PartnerId;
        if (input.PartnerId is { } askedPartner)
        {
            // Only the operator hands out partner keys of its choosing; a partner key only its own; an organization key none.
            if (actor.OrganizationId is not null || (actor.PartnerId is { } own && own != askedPartner))
                return RightsExceeded("A key can't create a key for another partner.");
            if (!await db.Partners.AnyAsync(p => p.Id == askedPartner, ct))
                return Failure.Invalid(nameof(ApiKeyInput.PartnerId), "There is no such partner.") with { Code = "api_key_invalid" };
            (organizationId, partnerId) = (null, askedPartner);
        }
        else if (input.OrganizationId is { } askedOrganization)
        {
            // The tenant filter hides organizations the caller can't reach: they read as unknown, like ids that don't exist.
            if (!await db.Organizations.AnyAsync(o => o.Id == askedOrganization, ct))
                return Failure.Invalid(nameof(ApiKeyInput.OrganizationId), "There is no such organization.") with { Code = "api_key_invalid" };
            (organizationId, partnerId) = (askedOrganization, null);
        }

        var (key, secret) = Infrastructure.Security.ApiKeys.Create(input.Name!.Trim(), organizationId, partnerId);
        db.ApiKeys.Add(key);
        await db.SaveChangesAsync(ct);
        return (key, secret);
    }

    public async Task<Result<ApiKey>> FindAsync(Guid id, CancellationToken ct = default) =>
        await Visible().AsNoTracking().SingleOrDefaultAsync(k => k.Id == id, ct) is { } key ? key : NotFound();

    /// <summary>Requests with the key are refused from now on; revoking a revoked key changes nothing.</summary>
    public async Task<Result<ApiKey>> RevokeAsync(Guid id, CancellationToken ct = default)
    {
        var key = await Visible().SingleOrDefaultAsync(k => k.Id == id, ct);
        if (key is null) return NotFound();
        if (key.RevokedAt is null)
        {
            key.RevokedAt = clock.GetUtcNow();
            await db.SaveChangesAsync(ct);
        }
        return key;
    }

    public static ApiKeyScope ScopeOf(ApiKey key) =>
        key.OrganizationId is not null ? ApiKeyScope.Organization : key.PartnerId is not null ? ApiKeyScope.Partner : ApiKeyScope.Operator;

    private static Failure NotFound() => Failure.NotFound("API key") with { Code = "api_key_not_found" };

    private static Failure RightsExceeded(string message) => Failure.Forbidden(message + " A key can only create keys with at most its own rights.") with { Code = "api_key_rights_exceeded" };
}
