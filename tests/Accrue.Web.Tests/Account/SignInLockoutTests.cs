using System.Net;
using Accrue.Web.Data;
using Accrue.Web.Infrastructure.Security;
using Accrue.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Tests.Account;

/// <summary>
/// Issue 15 A12: sign-in answers the same for unknown and known addresses, the lock-out is per account and
/// source (the source is the client address, here given as X-Forwarded-For: TestServer has no remote address,
/// and the forwarded-headers middleware takes the header from a peer it can't see, like from a trusted proxy),
/// the owner hears of a lock-out, and changes of password and email are told with a "this wasn't me" way back.
/// </summary>
public abstract class SignInLockoutTests(AccrueApp app)
{
    private const string Wrong = "The email or password is not right.";
    private const string Locked = "Sign-in with this email is locked here after too many failed attempts. Try again in 15 minutes, or reset your password.";

    /// <summary>
    /// The text of the last message queued to <paramref name="to"/> from <paramref name="template"/>, as sent:
    /// it is committed with the change that caused it (the SMTP delivery itself is OutboxTests' concern).
    /// </summary>
    private Task<string> MailAsync(string to, string template) =>
        app.DbAsync(db => db.Outbox.Where(m => m.To == to && m.Template == template).OrderByDescending(m => m.Id).Select(m => m.TextBody).FirstAsync());

    private static string NewSource() => $"198.51.100.{Random.Shared.Next(1, 255)}";

    private HttpClient From(string source)
    {
        var client = app.Browser();
        client.DefaultRequestHeaders.Add("X-Forwarded-For", source);
        return client;
    }

    private async Task<(HttpStatusCode Status, string? Error)> SignInAsync(string email, string password, string source, HttpClient? client = null)
    {
        var response = await (client ?? From(source)).SubmitFormAsync("/account/signin", new Dictionary<string, string> { ["Input.Email"] = email, ["Input.Password"] = password });
        var error = response.StatusCode == HttpStatusCode.OK ? Http.Parse(await response.Content.ReadAsStringAsync()).Errors().Single() : null;
        return (response.StatusCode, error);
    }

    [Fact]
    public async Task Unknown_and_known_addresses_get_the_same_answers_before_and_after_the_lock()
    {
        var person = await app.NewMemberAsync();
        var unknown = $"{Http.Unique("nobody")}@example.test";
        var source = $"203.0.113.{Random.Shared.Next(1, 255)}";

        var known = new List<(HttpStatusCode, string?)>();
        var stranger = new List<(HttpStatusCode, string?)>();
        for (var i = 0; i < 7; i++)
        {
            known.Add(await SignInAsync(person.Email, "wrong-password-1", source));
            stranger.Add(await SignInAsync(unknown, "wrong-password-1", source));
        }

        Assert.Equal(known, stranger);
        Assert.Equal([.. Enumerable.Repeat((HttpStatusCode.OK, (string?)Wrong), 4), .. Enumerable.Repeat((HttpStatusCode.OK, (string?)Locked), 3)], known);
        // Both addresses are counted alike; the attempts made while locked were not kept.
        Assert.Equal(5, await app.DbAsync(db => db.SignInAttempts.CountAsync(a => a.Account == person.Email && a.Source == source)));
        Assert.Equal(5, await app.DbAsync(db => db.SignInAttempts.CountAsync(a => a.Account == unknown && a.Source == source)));
        // The account itself is not locked: Identity's lock-out stays off.
        Assert.Null(await app.DbAsync(db => db.Users.Where(u => u.Id == person.UserId).Select(u => u.LockoutEnd).SingleAsync()));
    }

    [Fact]
    public async Task A_locked_account_still_signs_in_from_another_source_and_its_owner_is_told_once()
    {
        var person = await app.NewMemberAsync();
        var attacker = $"192.0.2.{Random.Shared.Next(1, 255)}";
        for (var i = 0; i < 6; i++) await SignInAsync(person.Email, "wrong-password-1", attacker);

        // The right password from the failing source is refused like a wrong one...
        Assert.Equal((HttpStatusCode.OK, Locked), await SignInAsync(person.Email, person.Password, attacker));
        // ...while the owner, elsewhere, signs in and reaches the portal.
        var owner = From("2001:db8:15:a12::1");
        Assert.Equal(HttpStatusCode.Redirect, (await SignInAsync(person.Email, person.Password, "", owner)).Status);
        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync("/portal")).StatusCode);

        var notice = await MailAsync(person.Email, "sign-in-locked");
        Assert.Contains($"5 times from {attacker}", notice, StringComparison.Ordinal);
        Assert.Contains($"/account/forgot-password?email={Uri.EscapeDataString(person.Email)}", notice, StringComparison.Ordinal);
        Assert.Equal(1, await app.DbAsync(db => db.Outbox.CountAsync(m => m.To == person.Email && m.Template == "sign-in-locked")));
        Assert.Equal(1, await app.DbAsync(db => db.AuditEntries.CountAsync(a => a.Action == "User.SignInLocked" && a.EntityId == person.UserId.ToString())));

        // A password reset proves the mailbox and lifts the lock everywhere.
        await From(attacker).SubmitFormAsync("/account/forgot-password", new Dictionary<string, string> { ["Input.Email"] = person.Email });
        var link = new Uri(MailDev.LinkIn(await MailAsync(person.Email, "password-reset"), "/account/reset-password")).PathAndQuery;
        await app.Browser().SubmitFormAsync(link, new Dictionary<string, string> { ["Input.Password"] = "After-reset-2026", ["Input.ConfirmPassword"] = "After-reset-2026" });
        Assert.Equal(HttpStatusCode.Redirect, (await SignInAsync(person.Email, "After-reset-2026", attacker)).Status);
    }

    [Fact]
    public async Task An_unknown_address_is_never_told_about_portal_access_and_a_right_password_forgets_the_sources_failures()
    {
        var person = await app.NewMemberAsync();
        var source = NewSource();
        for (var i = 0; i < 4; i++) await SignInAsync(person.Email, "wrong-password-1", source);
        Assert.Equal(HttpStatusCode.Redirect, (await SignInAsync(person.Email, person.Password, source)).Status);
        Assert.Equal(0, await app.DbAsync(db => db.SignInAttempts.CountAsync(a => a.Account == person.Email && a.Source == source)));

        // Portal access off: a wrong password reads as for anyone; only the right one hears why.
        await app.DbAsync(db => db.Members.IgnoreQueryFilters().Where(m => m.Id == person.MemberId).ExecuteUpdateAsync(s => s.SetProperty(m => m.PortalAccess, false)));
        Assert.Equal((HttpStatusCode.OK, Wrong), await SignInAsync(person.Email, "wrong-password-1", source));
        Assert.Equal((HttpStatusCode.OK, "Your account has no portal access. Ask your organization's administrator."), await SignInAsync(person.Email, person.Password, source));
    }

    [Fact]
    public async Task A_password_change_is_told_with_a_link_to_reset()
    {
        var person = await app.NewMemberAsync();
        var client = await app.SignedInAsync(person.Email, person.Password);
        var changed = await client.SubmitFormAsync("/portal/settings", new Dictionary<string, string>
        {
            ["Password.CurrentPassword"] = person.Password, ["Password.NewPassword"] = "Changed-pass-2026", ["Password.ConfirmPassword"] = "Changed-pass-2026",
        }, "main form.password-form");
        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);

        var notice = await MailAsync(person.Email, "password-changed");
        Assert.Contains("This wasn't me", notice, StringComparison.Ordinal);
        var link = new Uri(MailDev.LinkIn(notice, "/account/forgot-password")).PathAndQuery;
        var page = await app.Browser().GetPageAsync(link);
        Assert.Equal(person.Email, page.QuerySelector("input[name='Input.Email']")?.GetAttribute("value"));
    }

    [Fact]
    public async Task An_email_change_is_told_to_the_old_address_whose_link_restores_it_once()
    {
        var person = await app.NewMemberAsync();
        var client = await app.SignedInAsync(person.Email, person.Password);
        var newEmail = $"{Http.Unique("taken-over")}@example.test";
        var asked = await client.SubmitFormAsync("/portal/settings", new Dictionary<string, string> { ["Email.NewEmail"] = newEmail }, "main form.email-form");
        Assert.Equal(HttpStatusCode.Redirect, asked.StatusCode);
        var confirm = new Uri(MailDev.LinkIn(await MailAsync(newEmail, "confirm-email-change"), "/account/confirm-email-change")).PathAndQuery;
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync(confirm)).StatusCode);
        Assert.Equal(newEmail, await app.DbAsync(db => db.Users.Where(u => u.Id == person.UserId).Select(u => u.Email).SingleAsync()));

        var notice = await MailAsync(person.Email, "email-changed");
        Assert.Contains(newEmail, notice, StringComparison.Ordinal);
        Assert.Contains("This wasn't me", notice, StringComparison.Ordinal);
        Assert.Equal(0, await app.DbAsync(db => db.Outbox.CountAsync(m => m.To == newEmail && m.Template == "email-changed")));
        var restore = new Uri(MailDev.LinkIn(notice, "/account/restore-email")).PathAndQuery;
        // The restore link is a secret of the old address: the mail log doesn't show it.
        var logged = await app.DbAsync(db => db.Outbox.Where(m => m.To == person.Email && m.Template == "email-changed").Select(m => m.LogTextBody).SingleAsync());
        Assert.DoesNotContain("/account/restore-email", logged, StringComparison.Ordinal);

        var weak = await app.Browser().SubmitFormAsync(restore, new Dictionary<string, string> { ["Input.Password"] = "short", ["Input.ConfirmPassword"] = "short" });
        Assert.Equal(HttpStatusCode.OK, weak.StatusCode);
        Assert.Equal(newEmail, await app.DbAsync(db => db.Users.Where(u => u.Id == person.UserId).Select(u => u.Email).SingleAsync()));

        var restored = await app.Browser().SubmitFormAsync(restore, new Dictionary<string, string> { ["Input.Password"] = "Restored-pass-2026", ["Input.ConfirmPassword"] = "Restored-pass-2026" });
        Assert.Equal(HttpStatusCode.Redirect, restored.StatusCode);
        Assert.Equal(person.Email, await app.DbAsync(db => db.Users.Where(u => u.Id == person.UserId).Select(u => u.Email).SingleAsync()));
        Assert.Equal(person.Email, await app.DbAsync(db => db.Members.IgnoreQueryFilters().Where(m => m.Id == person.MemberId).Select(m => m.Email).SingleAsync()));
        await app.SignedInAsync(person.Email, "Restored-pass-2026");
        Assert.Equal((HttpStatusCode.OK, Wrong), await SignInAsync(newEmail, "Restored-pass-2026", NewSource()));
        // The link works once.
        var again = await app.Browser().GetPageAsync(restore);
        Assert.Contains(Accrue.Web.Features.Account.RestoreEmailModel.InvalidLink, again.QuerySelector(".alert-danger")?.TextContent);
    }

    [Fact]
    public void Sources_group_ipv6_clients_by_their_network_and_unwrap_mapped_ipv4()
    {
        Assert.Equal("2001:db8:1:2::/64", SignInSource.Of(System.Net.IPAddress.Parse("2001:db8:1:2:aaaa:bbbb:cccc:dddd")));
        Assert.Equal("192.0.2.7", SignInSource.Of(System.Net.IPAddress.Parse("::ffff:192.0.2.7")));
        Assert.Equal("unknown", SignInSource.Of((System.Net.IPAddress?)null));
    }
}

public sealed class SignInLockoutOnSqlite(SqliteApp app) : SignInLockoutTests(app), IClassFixture<SqliteApp>;

public sealed class SignInLockoutOnPostgres(PostgresApp app) : SignInLockoutTests(app), IClassFixture<PostgresApp>;
