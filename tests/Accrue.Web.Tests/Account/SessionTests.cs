using System.Net;
using Accrue.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Tests.Account;

/// <summary>
/// Issue 15 A13: signing out ends the session on the server, so a copy of the cookie (kept by an attacker, or
/// replayed) no longer opens the portal; "Sign out everywhere" ends every session of the user.
/// </summary>
public abstract class SessionTests(AccrueApp app)
{
    private async Task<(HttpClient Browser, string Cookie)> SignInAsync(string email, string password)
    {
        var browser = app.Browser();
        var response = await browser.SubmitFormAsync("/account/signin", new Dictionary<string, string> { ["Input.Email"] = email, ["Input.Password"] = password });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var cookie = string.Join("; ", response.Headers.GetValues("Set-Cookie")
            .Where(c => c.StartsWith("accrue.auth", StringComparison.Ordinal)).Select(c => c.Split(';')[0]));
        Assert.StartsWith("accrue.auth=", cookie, StringComparison.Ordinal);
        return (browser, cookie);
    }

    /// <summary>A client that sends a saved cookie as is, whatever the server said since.</summary>
    private HttpClient Replay(string cookie)
    {
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false, BaseAddress = new Uri("https://localhost") });
        client.DefaultRequestHeaders.Add("Cookie", cookie);
        return client;
    }

    private static void AssertSentToSignIn(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("https://localhost/account/signin", response.Headers.Location?.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Signing_out_revokes_the_session_so_a_replayed_cookie_is_sent_to_sign_in()
    {
        var person = await app.NewMemberAsync();
        var (browser, cookie) = await SignInAsync(person.Email, person.Password);
        Assert.Equal(HttpStatusCode.OK, (await Replay(cookie).GetAsync("/portal")).StatusCode);

        var signedOut = await browser.PostFormAsync("/account/signout", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);

        AssertSentToSignIn(await Replay(cookie).GetAsync("/portal"));
        AssertSentToSignIn(await Replay(cookie).GetAsync("/portal/settings"));
        var sessions = await app.DbAsync(db => db.UserSessions.Where(s => s.UserId == person.UserId).ToListAsync());
        var session = Assert.Single(sessions);
        Assert.NotNull(session.RevokedAt);
    }

    [Fact]
    public async Task Sign_out_everywhere_ends_every_session_of_the_user_and_no_one_elses()
    {
        var person = await app.NewMemberAsync();
        var other = await app.NewMemberAsync();
        var (laptop, laptopCookie) = await SignInAsync(person.Email, person.Password);
        var (_, phoneCookie) = await SignInAsync(person.Email, person.Password);
        var (_, otherCookie) = await SignInAsync(other.Email, other.Password);
        Assert.Equal(HttpStatusCode.OK, (await Replay(phoneCookie).GetAsync("/portal")).StatusCode);

        var page = await laptop.GetPageAsync("/portal/settings");
        Assert.NotNull(page.QuerySelector("form.sign-out-everywhere-form button"));
        var ended = await laptop.PostFormAsync("/portal/settings?handler=SignOutEverywhere", new Dictionary<string, string>(), "/portal/settings");
        Assert.Equal(HttpStatusCode.Redirect, ended.StatusCode);
        Assert.Equal("/account/signin", ended.Headers.Location?.OriginalString);
        Assert.Contains("You are signed out of all 2 sessions.", (await laptop.GetPageAsync("/account/signin")).QuerySelector(".alert-success")?.TextContent);

        AssertSentToSignIn(await Replay(laptopCookie).GetAsync("/portal"));
        AssertSentToSignIn(await Replay(phoneCookie).GetAsync("/portal"));
        Assert.Equal(HttpStatusCode.OK, (await Replay(otherCookie).GetAsync("/portal")).StatusCode);
        Assert.Equal(0, await app.DbAsync(db => db.UserSessions.CountAsync(s => s.UserId == person.UserId && s.RevokedAt == null)));
        Assert.Equal(1, await app.DbAsync(db => db.AuditEntries.CountAsync(a => a.Action == "User.SignedOutEverywhere" && a.EntityId == person.UserId.ToString())));

        // Signing in again opens a new session.
        var (_, again) = await SignInAsync(person.Email, person.Password);
        Assert.Equal(HttpStatusCode.OK, (await Replay(again).GetAsync("/portal")).StatusCode);
    }

    [Fact]
    public async Task A_password_change_keeps_this_session_and_ends_the_others()
    {
        var person = await app.NewMemberAsync();
        var (laptop, _) = await SignInAsync(person.Email, person.Password);
        var (_, phoneCookie) = await SignInAsync(person.Email, person.Password);

        var changed = await laptop.SubmitFormAsync("/portal/settings", new Dictionary<string, string>
        {
            ["Password.CurrentPassword"] = person.Password, ["Password.NewPassword"] = "Session-pass-2026", ["Password.ConfirmPassword"] = "Session-pass-2026",
        }, "main form.password-form");
        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await laptop.GetAsync("/portal")).StatusCode);
        AssertSentToSignIn(await Replay(phoneCookie).GetAsync("/portal"));
        Assert.Equal(1, await app.DbAsync(db => db.UserSessions.CountAsync(s => s.UserId == person.UserId && s.RevokedAt == null)));
    }
}

public sealed class SessionsOnSqlite(SqliteApp app) : SessionTests(app), IClassFixture<SqliteApp>;

public sealed class SessionsOnPostgres(PostgresApp app) : SessionTests(app), IClassFixture<PostgresApp>;
