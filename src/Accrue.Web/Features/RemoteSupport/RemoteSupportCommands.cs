using System.Security.Claims;
using Accrue.Domain.Accounts;
using Accrue.Domain.Common;
using Accrue.Domain.Support;
using Accrue.Web.Data;
using Accrue.Web.Infrastructure.Auditing;
using Accrue.Web.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.RemoteSupport;

/// <summary>
/// Remote support, "log in as" (seed 001): staff with the Impersonate permission open a customer's
/// portal as one of its members for a stated reason, at most 30 minutes, while the Owner allows it.
/// The session row and its audit entries are the record the Owner sees in the portal.
/// </summary>
public sealed class RemoteSupportCommands(AccrueDb db, UserManager<User> users, SignInManager<User> signIn, TimeProvider clock)
{
    public const string EndedByStaff = "Ended by staff";
    public const string TimeLimitReached = "Time limit reached";
    public const string TurnedOffByOwner = "Remote support turned off by the Owner";
    public const string SignedOut = "Staff signed out";

    /// <summary>The staff user's permissions, read from the database so a change takes effect at once.</summary>
    public async Task<StaffPermissions> StaffPermissionsAsync(CancellationToken ct = default)
    {
        if (!db.Actor.IsStaff || db.Actor.IsRemoteSupport || db.Actor.ApiKeyId is not null || db.Actor.UserId is not { } id) return StaffPermissions.None;
        return await db.Users.Where(u => u.Id == id && u.Kind == UserKind.Staff).Select(u => u.StaffPermissions).SingleOrDefaultAsync(ct);
    }

    public async Task<Result<RemoteSupportSession>> StartAsync(Guid organizationId, Guid? memberId, string? reason, CancellationToken ct = default)
    {
        if (!(await StaffPermissionsAsync(ct)).HasFlag(StaffPermissions.Impersonate))
            return Failure.Forbidden("You need the Impersonate permission to log in as a customer.");
        // The tenant filter hides other partners' organizations: they answer 404 like ones that don't exist.
        var organization = await db.Organizations.AsNoTracking().SingleOrDefaultAsync(o => o.Id == organizationId, ct);
        if (organization is null) return Failure.NotFound("Organization");
        if (!organization.RemoteSupportEnabled) return Failure.Conflict($"{organization.Name} has turned remote support off.") with { Code = "remote_support_disabled" };

        var member = memberId is { } id
            ? await db.Members.AsNoTracking().SingleOrDefaultAsync(m => m.Id == id && m.OrganizationId == organizationId, ct)
            : await db.Members.AsNoTracking().SingleOrDefaultAsync(m => m.OrganizationId == organizationId && m.Role == MemberRole.Owner, ct);
        if (member is null) return Failure.Invalid("MemberId", "Choose a member of this organization.");
        if (!member.PortalAccess) return Failure.Invalid("MemberId", $"{member.Name} has no portal access.");

        var started = RemoteSupportSession.Start(organizationId, member.Id, member.UserId, member.Name, db.Actor.UserId!.Value, db.Actor.Name, reason, clock.GetUtcNow());
        if (started.Failed(out var failure)) return failure;
        var session = started.Value;
        db.RemoteSupportSessions.Add(session);
        db.Audit("RemoteSupport.Started", nameof(RemoteSupportSession), session.Id, organizationId,
            new { Member = member.Name, session.Reason, session.ExpiresAt });
        await db.SaveChangesAsync(ct);
        return session;
    }

    /// <summary>
    /// Signs the browser in as the session's member, carrying the staff member's identity in extra
    /// claims (see <see cref="Actor.From"/>): every write is then audited with both and the session.
    /// </summary>
    public async Task SignInAsMemberAsync(HttpContext http, RemoteSupportSession session, string staffName)
    {
        var memberUser = await users.FindByIdAsync(session.MemberUserId.ToString()) ?? throw new InvalidOperationException("Member user not found.");
        var principal = await signIn.CreateUserPrincipalAsync(memberUser);
        var identity = (ClaimsIdentity)principal.Identity!;
        identity.AddClaim(new Claim(AccrueClaims.RemoteSupportSession, session.Id.ToString()));
        identity.AddClaim(new Claim(AccrueClaims.RemoteSupportStaff, session.StaffUserId.ToString()));
        identity.AddClaim(new Claim(AccrueClaims.RemoteSupportStaffName, staffName));
        // The cookie outlives the session a little, so the guard (not the cookie) sees the request past the
        // time limit, ends the session and says why; the session row is what limits it.
        await http.SignInAsync(IdentityConstants.ApplicationScheme, principal, new AuthenticationProperties
        {
            IsPersistent = false,
            ExpiresUtc = session.ExpiresAt + RemoteSupportGuard.Grace,
            AllowRefresh = true,
        });
    }

    /// <summary>Staff end the session they are in and are signed back in as themselves.</summary>
    public async Task<Result<RemoteSupportSession>> EndAsync(HttpContext http, CancellationToken ct = default)
    {
        if (db.Actor.RemoteSupportSessionId is not { } sessionId) return Failure.NotFound("Remote support session");
        var session = await db.RemoteSupportSessions.IgnoreQueryFilters().SingleOrDefaultAsync(s => s.Id == sessionId, ct);
        if (session is null) return Failure.NotFound("Remote support session");
        if (session.EndedAt is null)
        {
            var now = clock.GetUtcNow();
            session.End(now, now < session.ExpiresAt ? EndedByStaff : TimeLimitReached);
            db.Audit("RemoteSupport.Ended", nameof(RemoteSupportSession), session.Id, session.OrganizationId, new { session.EndReason });
            await db.SaveChangesAsync(ct);
        }
        var staff = await users.FindByIdAsync(session.StaffUserId.ToString());
        if (staff is { Kind: UserKind.Staff }) await signIn.SignInAsync(staff, isPersistent: false);
        else await http.SignOutAsync(IdentityConstants.ApplicationScheme);
        return session;
    }

    /// <summary>Signing out during a session ends it too, so it doesn't show as open until its time limit.</summary>
    public async Task EndOnSignOutAsync(CancellationToken ct = default)
    {
        if (db.Actor.RemoteSupportSessionId is not { } sessionId) return;
        var session = await db.RemoteSupportSessions.IgnoreQueryFilters().SingleOrDefaultAsync(s => s.Id == sessionId && s.EndedAt == null, ct);
        if (session is null) return;
        var now = clock.GetUtcNow();
        session.End(now, now < session.ExpiresAt ? SignedOut : TimeLimitReached);
        db.Audit("RemoteSupport.Ended", nameof(RemoteSupportSession), session.Id, session.OrganizationId, new { session.EndReason });
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// The Owner (or the organization's API key, which holds the Owner's rights) turns remote support on
    /// or off. Off ends every open session of the organization at once.
    /// </summary>
    public async Task<Result<Organization>> SetRemoteSupportAsync(Guid organizationId, bool enabled, CancellationToken ct = default)
    {
        var organization = await db.Organizations.SingleOrDefaultAsync(o => o.Id == organizationId, ct);
        if (organization is null) return Failure.NotFound("Organization");
        if (db.Actor.IsRemoteSupport) return Failure.Forbidden("Not available during remote support: only the Owner turns remote support on or off.");
        if (db.Actor.OrganizationId != organizationId) return Failure.Forbidden("Only the organization's Owner can turn remote support on or off.");
        if (db.Actor.MemberId is { } memberId
            && !await db.Members.AnyAsync(m => m.Id == memberId && m.OrganizationId == organizationId && m.Role == MemberRole.Owner, ct))
            return Failure.Forbidden("Only the organization's Owner can turn remote support on or off.");
        if (organization.RemoteSupportEnabled == enabled) return organization;

        organization.RemoteSupportEnabled = enabled;
        db.Audit(enabled ? "RemoteSupport.TurnedOn" : "RemoteSupport.TurnedOff", nameof(Organization), organization.Id, organization.Id);
        if (!enabled)
        {
            var now = clock.GetUtcNow();
            var open = await db.RemoteSupportSessions.Where(s => s.OrganizationId == organizationId && s.EndedAt == null).ToListAsync(ct);
            foreach (var session in open)
            {
                session.End(now, session.IsActiveAt(now) ? TurnedOffByOwner : TimeLimitReached);
                db.Audit("RemoteSupport.Ended", nameof(RemoteSupportSession), session.Id, organizationId, new { session.EndReason });
            }
        }
        await db.SaveChangesAsync(ct);
        return organization;
    }

    /// <summary>An organization's sessions (the tenant filter keeps other organizations' out).</summary>
    public IQueryable<RemoteSupportSession> Sessions(Guid organizationId) =>
        db.RemoteSupportSessions.AsNoTracking().Where(s => s.OrganizationId == organizationId);

    /// <summary>An organization's latest sessions, newest first.</summary>
    public Task<List<RemoteSupportSession>> SessionsAsync(Guid organizationId, int take = 50, CancellationToken ct = default) =>
        Sessions(organizationId).OrderByDescending(s => s.StartedAt).Take(take).ToListAsync(ct);

    /// <summary>How a session stands for display: a session past its limit that nobody touched since still reads as ended by the limit.</summary>
    public static string Describe(RemoteSupportSession session, DateTimeOffset now) =>
        session.EndReason ?? (session.IsActiveAt(now) ? "Active" : TimeLimitReached);

    public static DateTimeOffset? EndedAt(RemoteSupportSession session, DateTimeOffset now) =>
        session.EndedAt ?? (session.IsActiveAt(now) ? null : session.ExpiresAt);
}
