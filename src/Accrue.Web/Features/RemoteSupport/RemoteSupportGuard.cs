using System.Security.Claims;
using Accrue.Web.Data;
using Accrue.Web.Features.Shared;
using Accrue.Web.Infrastructure.Auditing;
using Accrue.Web.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Accrue.Web.Features.RemoteSupport;

/// <summary>
/// Checks every request made in a remote-support session, while the sign-in cookie is read and before
/// anything else runs: a session that was ended (by staff, or by the Owner turning remote support off)
/// or is past its time limit signs the browser out of the member's identity, so the request is answered
/// as anonymous (sign-in page) and writes nothing. The session row is ended with the reason.
/// </summary>
public static class RemoteSupportGuard
{
    /// <summary>How much longer than its session the cookie lives, so the guard still sees the late request.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromMinutes(10);

    private static readonly string[] Carried = [AccrueClaims.RemoteSupportSession, AccrueClaims.RemoteSupportStaff, AccrueClaims.RemoteSupportStaffName];

    public static WebApplicationBuilder AddRemoteSupport(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<RemoteSupportCommands>();
        builder.Services.AddScoped<StaffCommands>();
        builder.Services.TryAddSingleton<RemoteSupportRefusals>();
        // Registered after Identity's own, so it is the SignInManager every page gets.
        builder.Services.AddScoped<SignInManager<User>, RemoteSupportSignInManager>();
        // The security stamp check (every minute) rebuilds the member's principal from the database,
        // which would drop the staff identity: carry the remote-support claims over.
        builder.Services.Configure<SecurityStampValidatorOptions>(o => o.OnRefreshingPrincipal = context =>
        {
            var identity = context.NewPrincipal?.Identities.FirstOrDefault();
            if (identity is null || context.CurrentPrincipal is null) return Task.CompletedTask;
            foreach (var type in Carried)
                if (context.CurrentPrincipal.FindFirst(type) is { } claim && !identity.HasClaim(c => c.Type == type))
                    identity.AddClaim(new Claim(type, claim.Value));
            return Task.CompletedTask;
        });
        builder.Services.PostConfigure<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme, o =>
        {
            var inner = o.Events.OnValidatePrincipal;
            o.Events.OnValidatePrincipal = async context =>
            {
                if (!await CheckAsync(context)) return;
                await inner(context);
            };
        });
        return builder;
    }

    /// <summary>False when the principal was rejected.</summary>
    private static async Task<bool> CheckAsync(CookieValidatePrincipalContext context)
    {
        if (context.Principal?.FindFirstValue(AccrueClaims.RemoteSupportSession) is not { } value) return true;
        var http = context.HttpContext;
        var services = http.RequestServices;
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        string? why;
        // A scope of its own, acting as the system: the request's user is not known yet at this point.
        await using (var scope = services.GetRequiredService<IServiceScopeFactory>().CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<CurrentActor>().Set(Actor.System with { Ip = http.Connection.RemoteIpAddress?.ToString() });
            var db = scope.ServiceProvider.GetRequiredService<AccrueDb>();
            var session = Guid.TryParse(value, out var id)
                ? await db.RemoteSupportSessions.IgnoreQueryFilters().SingleOrDefaultAsync(s => s.Id == id, http.RequestAborted)
                : null;
            if (session is not null && session.IsActiveAt(now)) return true;
            if (session is { EndedAt: null })
            {
                session.End(now, RemoteSupportCommands.TimeLimitReached);
                db.Audit("RemoteSupport.Ended", nameof(Domain.Support.RemoteSupportSession), session.Id, session.OrganizationId, new { session.EndReason });
                await db.SaveChangesAsync(http.RequestAborted);
            }
            why = session?.EndReason;
        }

        context.RejectPrincipal();
        await http.SignOutAsync(IdentityConstants.ApplicationScheme);
        var tempData = services.GetRequiredService<ITempDataDictionaryFactory>().GetTempData(http);
        tempData["Flash"] = why == RemoteSupportCommands.TimeLimitReached
            ? "The remote support session reached its 30-minute limit and was ended; nothing more was changed. Sign in again to continue."
            : $"The remote support session has ended ({why ?? "unknown"}); nothing more was changed. Sign in again to continue.";
        tempData["FlashKind"] = "warning";
        tempData.Save();
        return false;
    }
}
