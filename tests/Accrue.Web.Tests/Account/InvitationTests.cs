using System.Net;
using Accrue.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Tests.Account;

public abstract class InvitationTests(AccrueApp app)
{
    [Fact]
    public async Task A_member_added_in_the_portal_gets_an_invitation_sets_a_password_and_signs_in()
    {
        var owner = await app.SignedInAsync("owner@acme.test");
        var email = $"{Http.Unique("invitee")}@example.test";
        var added = await owner.SubmitFormAsync("/portal/members/new", new Dictionary<string, string>
        {
            ["Input.Name"] = "Ivy Invitee", ["Input.Email"] = email,
        });
        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);

        var invitation = await MailDev.WaitForAsync(email, "invited to Acme Prepaid Ltd");
        var link = new Uri(invitation.Link("/account/invitation")).PathAndQuery;
        var visitor = app.Browser();
        var accepted = await visitor.SubmitFormAsync(link, new Dictionary<string, string>
        {
            ["Input.Password"] = "Invited-pass-1", ["Input.ConfirmPassword"] = "Invited-pass-1",
        });
        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        Assert.True(await app.DbAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.EmailConfirmed).SingleAsync()));

        var member = await app.SignedInAsync(email, "Invited-pass-1");
        Assert.Equal(HttpStatusCode.OK, (await member.GetAsync("/portal")).StatusCode);

        var again = await app.Browser().GetPageAsync(link);
        Assert.Contains("already accepted", again.QuerySelector(".alert-danger")?.TextContent);
        Assert.Null(again.QuerySelector("input[name='Input.Password']"));
    }

    [Fact]
    public async Task A_tampered_invitation_token_is_refused()
    {
        var userId = await app.DbAsync(db => db.Users.Where(u => u.Email == "member@acme.test").Select(u => u.Id).SingleAsync());
        var page = await app.Browser().GetPageAsync($"/account/invitation?user={userId}&token=bogus");
        Assert.NotNull(page.QuerySelector(".alert-danger"));
        Assert.Null(page.QuerySelector("input[name='Input.Password']"));
    }
}

public sealed class InvitationOnSqlite(SqliteApp app) : InvitationTests(app), IClassFixture<SqliteApp>;

public sealed class InvitationOnPostgres(PostgresApp app) : InvitationTests(app), IClassFixture<PostgresApp>;
