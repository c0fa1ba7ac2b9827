using System.Security.Claims;
using Accrue.Web.Data;
using Accrue.Web.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Infrastructure.Security;

/// <summary>One signed-in browser: the sign-in cookie names it, and it is valid only while its row says so.</summary>
public sealed class UserSession : Auditing.INotAudited
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid UserId { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    /// <summary>Last time a request was seen, to the hour: sessions idle past the cookie's lifetime are pruned.</summary>
    public DateTimeOffset LastSeenAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
}

/// <summary>
/// Server-side sessions behind the sign-in cookie (issue 15 A13). A cookie alone stays valid until it expires,
/// so signing out only deleted it from the browser, and a copy still worked for hours: now every cookie carries
/// a session id, checked on every request (one primary-key read), and signing out revokes it. "Sign out
/// everywhere" revokes every session of the user. Remote-support cookies are checked by their own session row
/// (RemoteSupportGuard) and carry none.
/// </summary>
public sealed class UserSessions(AccrueDb db, TimeProvider clock)
{
    /// <summary>How stale <see cref="UserSession.LastSeenAt"/> may get before a request refreshes it.</summary>
    private static readonly TimeSpan SeenResolution = TimeSpan.FromHours(1);

    /// <summary>Sessions idle (or revoked) this long are deleted: the cookie (8 hours, sliding) is long dead.</summary>
    public static readonly TimeSpan KeepFor = TimeSpan.FromDays(1);

    public async Task<Guid> StartAsync(Guid userId, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var session = new UserSession { UserId = userId, CreatedAt = now, LastSeenAt = now };
        db.UserSessions.Add(session);
        await db.SaveChangesAsync(ct);
        return session.Id;
    }

    /// <summary>True while the session exists for this user and is not revoked.</summary>
    public async Task<bool> IsActiveAsync(Guid sessionId, Guid userId, CancellationToken ct = default)
    {
        var row = await db.UserSessions.AsNoTracking().Where(s => s.Id == sessionId)
            .Select(s => new { s.UserId, s.RevokedAt, s.LastSeenAt }).SingleOrDefaultAsync(ct);
        if (row is null || row.UserId != userId || row.RevokedAt is not null) return false;
        var now = clock.GetUtcNow();
        if (now - row.LastSeenAt > SeenResolution)
            await db.UserSessions.Where(s => s.Id == sessionId).ExecuteUpdateAsync(s => s.SetProperty(x => x.LastSeenAt, now), ct);
        return true;
    }

    public Task<int> RevokeAsync(Guid sessionId, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        return db.UserSessions.Where(s => s.Id == sessionId && s.RevokedAt == null).ExecuteUpdateAsync(s => s.SetProperty(x => x.RevokedAt, now), ct);
    }

    /// <summary>Revokes every session of the user, but <paramref name="except"/> (the one making the change, when it stays).</summary>
    public Task<int> RevokeAllAsync(Guid userId, Guid? except = null, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        return db.UserSessions.Where(s => s.UserId == userId && s.RevokedAt == null && s.Id != except)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.RevokedAt, now), ct);
    }

    public Task<int> PruneAsync(CancellationToken ct)
    {
        var cutoff = clock.GetUtcNow() - KeepFor;
        return db.UserSessions.Where(s => s.LastSeenAt < cutoff || s.RevokedAt < cutoff).ExecuteDeleteAsync(ct);
    }

    /// <summary>The session the principal's cookie names, if any.</summary>
    public static Guid? Of(ClaimsPrincipal? principal) =>
        Guid.TryParse(principal?.FindFirstValue(AccrueClaims.Session), out var id) ? id : null;

    /// <summary>Hooks the sessions into the application cookie: issue on sign-in, check on every request, revoke on sign-out.</summary>
    public static void AddTo(IServiceCollection services)
    {
        services.AddScoped<UserSessions>();
        // The security stamp check (every minute) rebuilds the principal from the user: keep the session id.
        services.PostConfigure<SecurityStampValidatorOptions>(o =>
        {
            var inner = o.OnRefreshingPrincipal;
            o.OnRefreshingPrincipal = async context =>
            {
                if (inner is not null) await inner(context);
                if (context.NewPrincipal?.Identities.FirstOrDefault() is { } identity && Of(context.CurrentPrincipal) is { } session && !identity.HasClaim(c => c.Type == AccrueClaims.Session))
                    identity.AddClaim(new Claim(AccrueClaims.Session, session.ToString()));
            };
        });
        services.PostConfigure<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme, o =>
        {
            var signingIn = o.Events.OnSigningIn;
            o.Events.OnSigningIn = async context =>
            {
                await IssueAsync(context);
                await signingIn(context);
            };
            var validate = o.Events.OnValidatePrincipal;
            o.Events.OnValidatePrincipal = async context =>
            {
                if (!await CheckAsync(context)) return;
                await validate(context);
            };
            var signingOut = o.Events.OnSigningOut;
            o.Events.OnSigningOut = async context =>
            {
                if (Of(context.HttpContext.User) is { } session)
                    await context.HttpContext.RequestServices.GetRequiredService<UserSessions>().RevokeAsync(session);
                await signingOut(context);
            };
        });
    }

    private static bool IsRemoteSupport(ClaimsPrincipal? principal) => principal?.FindFirst(AccrueClaims.RemoteSupportSession) is not null;

    /// <summary>
    /// A new sign-in gets a new session; a refresh of the same user's sign-in (after a profile or password change)
    /// keeps the one it has.
    /// </summary>
    private static async Task IssueAsync(CookieSigningInContext context)
    {
        if (context.Principal?.Identity is not ClaimsIdentity identity || IsRemoteSupport(context.Principal)) return;
        if (!Guid.TryParse(context.Principal.FindFirstValue(ClaimTypes.NameIdentifier), out var userId)) return;
        foreach (var stale in identity.FindAll(AccrueClaims.Session).ToList()) identity.RemoveClaim(stale);

        var http = context.HttpContext;
        var current = http.User;
        if (Of(current) is { } kept && !IsRemoteSupport(current) && current.FindFirstValue(ClaimTypes.NameIdentifier) == userId.ToString()
            && await http.RequestServices.GetRequiredService<UserSessions>().IsActiveAsync(kept, userId, http.RequestAborted))
        {
            identity.AddClaim(new Claim(AccrueClaims.Session, kept.ToString()));
            return;
        }
        // A scope of its own, so the insert commits nothing else the request's context holds.
        await using var scope = http.RequestServices.GetRequiredService<IServiceScopeFactory>().CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<CurrentActor>().Set(Actor.System);
        var session = await scope.ServiceProvider.GetRequiredService<UserSessions>().StartAsync(userId, http.RequestAborted);
        identity.AddClaim(new Claim(AccrueClaims.Session, session.ToString()));
    }

    /// <summary>False when the principal was rejected: the request goes on as anonymous (the sign-in page for pages).</summary>
    private static async Task<bool> CheckAsync(CookieValidatePrincipalContext context)
    {
        if (context.Principal is null || IsRemoteSupport(context.Principal)) return true;
        var http = context.HttpContext;
        if (Of(context.Principal) is { } session && Guid.TryParse(context.Principal.FindFirstValue(ClaimTypes.NameIdentifier), out var userId)
            && await http.RequestServices.GetRequiredService<UserSessions>().IsActiveAsync(session, userId, http.RequestAborted))
            return true;
        // Revoked, unknown, or a cookie from before sessions existed: signed out.
        context.RejectPrincipal();
        await http.SignOutAsync(IdentityConstants.ApplicationScheme);
        return false;
    }
}
