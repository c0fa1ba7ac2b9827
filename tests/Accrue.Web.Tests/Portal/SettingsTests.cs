using System.Net;
using Accrue.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Tests.Portal;

public abstract class SettingsTests(AccrueApp app)
{
    [Fact]
    public async Task A_member_changes_their_password_and_signs_in_with_the_new_one()
    {
        var person = await app.NewMemberAsync();
        var client = await app.SignedInAsync(person.Email, person.Password);

        var wrong = await client.SubmitFormAsync("/portal/settings", new Dictionary<string, string>
        {
            ["Password.CurrentPassword"] = "not-my-password-1", ["Password.NewPassword"] = "Changed-pass-1", ["Password.ConfirmPassword"] = "Changed-pass-1",
        }, "main form.password-form");
        Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        Assert.Contains("Your current password is not right.", Http.Parse(await wrong.Content.ReadAsStringAsync()).Errors());

        var changed = await client.SubmitFormAsync("/portal/settings", new Dictionary<string, string>
        {
            ["Password.CurrentPassword"] = person.Password, ["Password.NewPassword"] = "Changed-pass-1", ["Password.ConfirmPassword"] = "Changed-pass-1",
        }, "main form.password-form");
        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
        // Still signed in after the security stamp changed.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/portal/settings")).StatusCode);
        await app.SignedInAsync(person.Email, "Changed-pass-1");
        var old = await app.Browser().SubmitFormAsync("/account/signin", new Dictionary<string, string> { ["Input.Email"] = person.Email, ["Input.Password"] = person.Password });
        Assert.Equal(HttpStatusCode.OK, old.StatusCode);
    }

    [Fact]
    public async Task Changing_email_sends_a_link_to_the_new_address_that_switches_the_sign_in()
    {
        var person = await app.NewMemberAsync();
        var client = await app.SignedInAsync(person.Email, person.Password);
        var newEmail = $"{Http.Unique("moved")}@example.test";
        var response = await client.SubmitFormAsync("/portal/settings", new Dictionary<string, string> { ["Email.NewEmail"] = newEmail }, "main form.email-form");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        // Nothing changes until the link is opened.
        Assert.Equal(person.Email, await app.DbAsync(db => db.Users.Where(u => u.Id == person.UserId).Select(u => u.Email).SingleAsync()));

        var message = await MailDev.WaitForAsync(newEmail, "Confirm your new email");
        var confirmed = await client.GetAsync(new Uri(message.Link("/account/confirm-email-change")).PathAndQuery);
        Assert.Equal(HttpStatusCode.Redirect, confirmed.StatusCode);
        Assert.Equal("/portal/settings", confirmed.Headers.Location?.OriginalString);

        var user = await app.DbAsync(db => db.Users.SingleAsync(u => u.Id == person.UserId));
        Assert.Equal(newEmail, user.Email);
        Assert.Equal(newEmail, user.UserName);
        Assert.Equal(newEmail, await app.DbAsync(db => db.Members.Where(m => m.Id == person.MemberId).Select(m => m.Email).SingleAsync()));
        await app.SignedInAsync(newEmail, person.Password);
        var old = await app.Browser().SubmitFormAsync("/account/signin", new Dictionary<string, string> { ["Input.Email"] = person.Email, ["Input.Password"] = person.Password });
        Assert.Equal(HttpStatusCode.OK, old.StatusCode);
    }

    [Theory]
    [InlineData("not-an-email", "Enter a valid email address, like name@example.com.")]
    [InlineData("admin@acme.test", "This email is already used by another account.")]
    public async Task A_bad_new_email_is_refused_beside_the_field_and_nothing_is_queued(string newEmail, string error)
    {
        var person = await app.NewMemberAsync();
        var client = await app.SignedInAsync(person.Email, person.Password);
        var before = await app.CountAsync<Accrue.Web.Data.OutboxMessage>();
        var response = await client.SubmitFormAsync("/portal/settings", new Dictionary<string, string> { ["Email.NewEmail"] = newEmail }, "main form.email-form");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(error, Http.Parse(await response.Content.ReadAsStringAsync()).Errors());
        Assert.Equal(before, await app.CountAsync<Accrue.Web.Data.OutboxMessage>());
    }

    [Fact]
    public async Task The_profile_updates_the_member_and_the_display_name()
    {
        var person = await app.NewMemberAsync();
        var client = await app.SignedInAsync(person.Email, person.Password);
        var response = await client.SubmitFormAsync("/portal/settings", new Dictionary<string, string>
        {
            ["Profile.Name"] = "Renamed Person", ["Profile.Phone"] = "+1 555 0100",
        }, "main form.profile-form");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var member = await app.DbAsync(db => db.Members.SingleAsync(m => m.Id == person.MemberId));
        Assert.Equal(("Renamed Person", "+1 555 0100"), (member.Name, member.Phone));
        Assert.Equal("Renamed Person", await app.DbAsync(db => db.Users.Where(u => u.Id == person.UserId).Select(u => u.DisplayName).SingleAsync()));

        var empty = await client.SubmitFormAsync("/portal/settings", new Dictionary<string, string> { ["Profile.Name"] = " " }, "main form.profile-form");
        Assert.Contains("Name is required.", Http.Parse(await empty.Content.ReadAsStringAsync()).Errors());
        Assert.Equal("Renamed Person", await app.DbAsync(db => db.Members.Where(m => m.Id == person.MemberId).Select(m => m.Name).SingleAsync()));
    }
}

public sealed class SettingsOnSqlite(SqliteApp app) : SettingsTests(app), IClassFixture<SqliteApp>;

public sealed class SettingsOnPostgres(PostgresApp app) : SettingsTests(app), IClassFixture<PostgresApp>;
