using System.Net;
using Accrue.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Tests.Account;

public abstract class TwoFactorTests(AccrueApp app)
{
    [Fact]
    public async Task Enabling_two_factor_then_sign_in_needs_a_code_and_a_recovery_code_works_once()
    {
        var person = await app.NewMemberAsync();
        var client = await app.SignedInAsync(person.Email, person.Password);
        var setup = await client.GetPageAsync("/portal/settings/two-factor");
        Assert.NotNull(setup.QuerySelector(".qr svg"));
        var key = setup.QuerySelector(".shared-key")!.TextContent.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();

        var wrong = await client.SubmitFormAsync("/portal/settings/two-factor", new Dictionary<string, string> { ["Code"] = "000000" == Totp.Code(key) ? "111111" : "000000" }, "main form.enable-form");
        Assert.Contains(Http.Parse(await wrong.Content.ReadAsStringAsync()).Errors(), e => e.Contains("not right", StringComparison.Ordinal));
        Assert.False(await app.DbAsync(db => db.Users.Where(u => u.Id == person.UserId).Select(u => u.TwoFactorEnabled).SingleAsync()));

        var enabled = await client.SubmitFormAsync("/portal/settings/two-factor", new Dictionary<string, string> { ["Code"] = Totp.Code(key) }, "main form.enable-form");
        Assert.Equal(HttpStatusCode.OK, enabled.StatusCode);
        var codes = Http.Parse(await enabled.Content.ReadAsStringAsync()).QuerySelectorAll(".recovery-codes code").Select(c => c.TextContent.Trim()).ToList();
        Assert.Equal(10, codes.Count);
        Assert.True(await app.DbAsync(db => db.Users.Where(u => u.Id == person.UserId).Select(u => u.TwoFactorEnabled).SingleAsync()));
        // Shown once: the page no longer lists them.
        Assert.Empty((await client.GetPageAsync("/portal/settings/two-factor")).QuerySelectorAll(".recovery-codes code"));

        // The password alone no longer signs in.
        var second = app.Browser();
        var step1 = await second.SubmitFormAsync("/account/signin", new Dictionary<string, string> { ["Input.Email"] = person.Email, ["Input.Password"] = person.Password });
        Assert.Equal(HttpStatusCode.Redirect, step1.StatusCode);
        Assert.StartsWith("/account/signin-2fa", step1.Headers.Location?.OriginalString, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await second.GetAsync("/portal")).StatusCode);
        var bad = await second.SubmitFormAsync(step1.Headers.Location!.OriginalString, new Dictionary<string, string> { ["Code"] = "12345x" });
        Assert.Equal(HttpStatusCode.OK, bad.StatusCode);
        var step2 = await second.SubmitFormAsync(step1.Headers.Location!.OriginalString, new Dictionary<string, string> { ["Code"] = Totp.Code(key) });
        if (step2.StatusCode != HttpStatusCode.Redirect)
        {
            // A code is refused if it was just used to enable two-factor in the same 30-second step: wait for the next one.
            await Task.Delay(TimeSpan.FromSeconds(31 - DateTimeOffset.UtcNow.ToUnixTimeSeconds() % 30));
            step2 = await second.SubmitFormAsync(step1.Headers.Location!.OriginalString, new Dictionary<string, string> { ["Code"] = Totp.Code(key) });
        }
        Assert.Equal(HttpStatusCode.Redirect, step2.StatusCode);
        Assert.Equal("/portal", step2.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await second.GetAsync("/portal")).StatusCode);

        Assert.Equal("/portal", (await SignInWithRecoveryCodeAsync(person, codes[0])).Headers.Location?.OriginalString);
        var reused = await SignInWithRecoveryCodeAsync(person, codes[0]);
        Assert.Equal(HttpStatusCode.OK, reused.StatusCode);
        Assert.Contains(Http.Parse(await reused.Content.ReadAsStringAsync()).Errors(), e => e.Contains("already used", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Turning_two_factor_off_lets_the_password_alone_sign_in_again()
    {
        var person = await app.NewMemberAsync();
        var client = await app.SignedInAsync(person.Email, person.Password);
        var key = (await client.GetPageAsync("/portal/settings/two-factor")).QuerySelector(".shared-key")!.TextContent.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
        await client.SubmitFormAsync("/portal/settings/two-factor", new Dictionary<string, string> { ["Code"] = Totp.Code(key) }, "main form.enable-form");
        var off = await client.SubmitFormAsync("/portal/settings/two-factor", new Dictionary<string, string>(), "main form[action*=Disable]");
        Assert.Equal(HttpStatusCode.Redirect, off.StatusCode);
        Assert.False(await app.DbAsync(db => db.Users.Where(u => u.Id == person.UserId).Select(u => u.TwoFactorEnabled).SingleAsync()));
        await app.SignedInAsync(person.Email, person.Password);
    }

    private async Task<HttpResponseMessage> SignInWithRecoveryCodeAsync(People.Person person, string code)
    {
        var client = app.Browser();
        var step1 = await client.SubmitFormAsync("/account/signin", new Dictionary<string, string> { ["Input.Email"] = person.Email, ["Input.Password"] = person.Password });
        return await client.SubmitFormAsync(step1.Headers.Location!.OriginalString, new Dictionary<string, string> { ["RecoveryCode"] = code }, "main form.recovery-form");
    }
}

public sealed class TwoFactorOnSqlite(SqliteApp app) : TwoFactorTests(app), IClassFixture<SqliteApp>;

public sealed class TwoFactorOnPostgres(PostgresApp app) : TwoFactorTests(app), IClassFixture<PostgresApp>;
