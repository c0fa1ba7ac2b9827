using System.Net;
using AngleSharp.Html.Dom;
using Accrue.Web.Tests.Bills;
using Accrue.Web.Tests.Console;
using Accrue.Web.Tests.Infrastructure;

namespace Accrue.Web.Tests.RemoteSupport;

/// <summary>
/// Issue 15 C29: in a remote-support session the portal doesn't offer the forms and links that would be
/// refused (password, email, sign out everywhere, the remote-support switch, API keys, two-factor, card
/// on file); it says it is read-only there instead. Everything else stays, and the member still sees it all.
/// </summary>
public abstract class RemoteSupportFormsTests(AccrueApp app)
{
    private const string ReadOnly = "Read-only: you are viewing this account in a remote-support session.";

    private static readonly string[] Pages =
        ["/portal", "/portal/settings", "/portal/settings/api-keys", "/portal/subscriptions", "/portal/bills", "/portal/members", "/portal/support/new"];

    /// <summary>What the pages refuse in a session (docs/support.md, "Refused while impersonating").</summary>
    private static bool Refused(string action)
    {
        var uri = new Uri(new Uri("http://portal.test"), action);
        var handler = System.Web.HttpUtility.ParseQueryString(uri.Query)["handler"];
        return uri.AbsolutePath switch
        {
            "/portal/settings" => handler is "Email" or "Password" or "SignOutEverywhere" or "RemoteSupport",
            "/portal/settings/api-keys" or "/portal/settings/card" or "/portal/settings/two-factor" => true,
            _ => false,
        };
    }

    private static List<string> PostForms(IHtmlDocument page, string url) =>
        [.. page.QuerySelectorAll("form")
            .Where(form => string.Equals(form.GetAttribute("method"), "post", StringComparison.OrdinalIgnoreCase))
            .Select(form => form.GetAttribute("action") is { Length: > 0 } action ? action : url)];

    private static List<string> Links(IHtmlDocument page) => [.. page.QuerySelectorAll("a[href]").Select(a => a.GetAttribute("href")!)];

    [Fact]
    public async Task Staff_in_a_session_are_not_offered_what_would_be_refused_and_the_member_still_is()
    {
        var customer = await app.NewPostpaidAsync();
        await app.BillAsync(customer.OrganizationId);
        var owner = await app.SignedInAsync(customer.OwnerEmail, customer.Password);
        Assert.Equal(HttpStatusCode.OK, (await owner.SubmitFormAsync("/portal/settings/api-keys", new Dictionary<string, string> { ["Name"] = "Build server" }, "main form.new-key-form")).StatusCode);

        var own = new Dictionary<string, (List<string> Forms, List<string> Links)>();
        foreach (var url in Pages)
        {
            var page = await owner.GetPageAsync(url);
            own[url] = (PostForms(page, url), Links(page));
            Assert.DoesNotContain(ReadOnly, page.Body!.TextContent, StringComparison.Ordinal);
        }
        // The member's own view offers all of it: the four Settings forms, both API-key forms, the two links.
        var ownRefused = Pages.SelectMany(url => own[url].Forms).Where(Refused).ToList();
        Assert.Equal(4, ownRefused.Count(a => a.StartsWith("/portal/settings?handler=", StringComparison.Ordinal)));
        Assert.Contains("/portal/settings/api-keys", ownRefused);
        Assert.Contains(ownRefused, a => a.StartsWith("/portal/settings/api-keys?", StringComparison.Ordinal) && a.Contains("handler=Revoke", StringComparison.Ordinal));
        Assert.Contains("/portal/settings/two-factor", own["/portal/settings"].Links);
        Assert.Contains("/portal/settings/card", own["/portal/settings"].Links);

        var dana = await app.SignedInAsync(ConsoleSteps.Operator);
        var started = await dana.SubmitFormAsync($"/console/organizations/{customer.OrganizationId}/remote-support",
            new Dictionary<string, string> { ["Reason"] = "Ticket 7: help with a bill" }, "main form.remote-support-form");
        Assert.Equal(HttpStatusCode.Redirect, started.StatusCode);

        foreach (var url in Pages)
        {
            var page = await dana.GetPageAsync(url);
            var forms = PostForms(page, url);
            Assert.NotNull(page.QuerySelector("#remote-support-banner"));
            Assert.DoesNotContain(forms, Refused);
            // Nothing else is taken away: the member's forms minus the refused ones, plus End session.
            Assert.Equal(own[url].Forms.Where(a => !Refused(a)).Append("/remote-support/end").Order(StringComparer.Ordinal), forms.Order(StringComparer.Ordinal));
            Assert.Contains("/account/signout", forms);
            Assert.DoesNotContain("/portal/settings/two-factor", Links(page));
            Assert.DoesNotContain("/portal/settings/card", Links(page));
        }

        var settings = await dana.GetPageAsync("/portal/settings");
        Assert.NotNull(settings.QuerySelector("form.profile-form"));
        Assert.Equal(4, settings.QuerySelectorAll(".remote-support-read-only").Count(e => e.TextContent == ReadOnly));
        // The two links are plain text now.
        Assert.Equal(["Set up two-factor sign-in", "Card on file"], settings.QuerySelectorAll("span.remote-support-read-only").Select(s => s.TextContent.Trim()));
        var keys = await dana.GetPageAsync("/portal/settings/api-keys");
        Assert.Equal(2, keys.QuerySelectorAll("p.remote-support-read-only").Count(e => e.TextContent == ReadOnly));
        Assert.Contains("Build server", keys.QuerySelector(".api-keys-table")!.TextContent, StringComparison.Ordinal);
    }
}

public sealed class RemoteSupportFormsTestsOnSqlite(SqliteApp app) : RemoteSupportFormsTests(app), IClassFixture<SqliteApp>;

public sealed class RemoteSupportFormsTestsOnPostgres(PostgresApp app) : RemoteSupportFormsTests(app), IClassFixture<PostgresApp>;
