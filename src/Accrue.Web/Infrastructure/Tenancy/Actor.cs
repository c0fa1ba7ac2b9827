using System.Security.Claims;
using Accrue.Domain.Common;

namespace Accrue.Web.Infrastructure.Tenancy;

/// <summary>
/// Who is acting in this request or job, and so what the tenant filter lets them see: a member sees
/// their organization, partner staff their partner's organizations, operator staff and jobs everything.
/// </summary>
public sealed record Actor(
    ActorKind Kind,
    Guid? UserId,
    string Name,
    Guid? OrganizationId = null,
    Guid? PartnerId = null,
    Guid? MemberId = null,
    Guid? ApiKeyId = null,
    Guid? OnBehalfOfUserId = null,
    string? Ip = null,
    Guid? RemoteSupportSessionId = null)
{
    public static readonly Actor System = new(ActorKind.System, null, "system");
    public static readonly Actor Anonymous = new(ActorKind.Anonymous, null, "anonymous");

    public bool IsStaff => Kind is ActorKind.OperatorStaff or ActorKind.PartnerStaff;
    public bool IsOperator => Kind is ActorKind.OperatorStaff or ActorKind.System;
    /// <summary>Acts inside one organization: a member signed in to the portal, or an organization's API key.</summary>
    public bool IsInOrganization => OrganizationId is not null;
    /// <summary>Staff viewing the portal as a member: <see cref="UserId"/> and <see cref="Name"/> are the staff's, <see cref="OnBehalfOfUserId"/> the member's.</summary>
    public bool IsRemoteSupport => RemoteSupportSessionId is not null;

    /// <summary>The one operator check: null when the operator acts (its staff, its keys, a job), else <paramref name="refusal"/> as Forbidden.</summary>
    public Failure? RefuseUnlessOperator(string refusal) => IsOperator ? null : Failure.Forbidden(refusal);

    /// <summary>The one staff check: null when operator or partner staff (or the operator's keys and jobs) act, else <paramref name="refusal"/> as Forbidden.</summary>
    public Failure? RefuseUnlessStaff(string refusal) => IsStaff || IsOperator ? null : Failure.Forbidden(refusal);

    public static Actor From(ClaimsPrincipal principal, string? ip)
    {
        if (principal.Identity?.IsAuthenticated != true) return Anonymous with { Ip = ip };
        var kind = Enum.Parse<ActorKind>(principal.FindFirstValue(AccrueClaims.Kind) ?? nameof(ActorKind.Anonymous));
        if (GuidClaim(principal, AccrueClaims.RemoteSupportSession) is { } session)
            return new Actor(
                kind,
                GuidClaim(principal, AccrueClaims.RemoteSupportStaff),
                principal.FindFirstValue(AccrueClaims.RemoteSupportStaffName) ?? "staff",
                GuidClaim(principal, AccrueClaims.Organization),
                MemberId: GuidClaim(principal, AccrueClaims.Member),
                OnBehalfOfUserId: GuidClaim(principal, ClaimTypes.NameIdentifier),
                Ip: ip,
                RemoteSupportSessionId: session);
        return new Actor(
            kind,
            GuidClaim(principal, ClaimTypes.NameIdentifier),
            principal.FindFirstValue(AccrueClaims.DisplayName) ?? principal.Identity.Name ?? "unknown",
            GuidClaim(principal, AccrueClaims.Organization),
            GuidClaim(principal, AccrueClaims.Partner),
            GuidClaim(principal, AccrueClaims.Member),
            GuidClaim(principal, AccrueClaims.ApiKey),
            GuidClaim(principal, AccrueClaims.OnBehalfOf),
            ip);
    }

    private static Guid? GuidClaim(ClaimsPrincipal principal, string type) =>
        Guid.TryParse(principal.FindFirstValue(type), out var id) ? id : null;
}

public enum ActorKind { Anonymous, System, OperatorStaff, PartnerStaff, Member, ApiKey }

public static class AccrueClaims
{
    public const string Kind = "accrue:kind";
    public const string DisplayName = "accrue:name";
    public const string Organization = "accrue:org";
    public const string Partner = "accrue:partner";
    public const string Member = "accrue:member";
    public const string ApiKey = "accrue:apikey";
    public const string OnBehalfOf = "accrue:obo";
    /// <summary>The server-side session of a sign-in cookie (Infrastructure/Security/UserSessions).</summary>
    public const string Session = "accrue:sid";
    /// <summary>On a member's principal opened by staff ("log in as"): the session, and the staff member's user id and name.</summary>
    public const string RemoteSupportSession = "accrue:rs";
    public const string RemoteSupportStaff = "accrue:rs-staff";
    public const string RemoteSupportStaffName = "accrue:rs-staff-name";
}

/// <summary>
/// The actor of the current scope: the HTTP request's user, or <see cref="Actor.System"/> in jobs.
/// Read lazily and re-read when the principal changes, because services in the request scope (Identity's
/// stores, the DbContext) are created before authentication has run.
/// </summary>
public sealed class CurrentActor(IHttpContextAccessor http)
{
    private Actor? _set;
    private Actor? _cached;
    private ClaimsPrincipal? _cachedFor;

    public Actor Value
    {
        get
        {
            if (_set is not null) return _set;
            if (http.HttpContext is not { } context) return Actor.System;
            if (_cached is null || !ReferenceEquals(_cachedFor, context.User))
            {
                _cached = Actor.From(context.User, context.Connection.RemoteIpAddress?.ToString());
                _cachedFor = context.User;
            }
            return _cached;
        }
    }

    /// <summary>Used by jobs, the command line and tests, where there is no signed-in user.</summary>
    public void Set(Actor actor) => _set = actor;
}
