using System.Net;
using Accrue.Web.Infrastructure.Email;
using Accrue.Web.Tests.Bills;
using Accrue.Web.Tests.Infrastructure;
using Accrue.Web.Tests.Jobs;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Tests.Checkout;

/// <summary>
/// Issue 15 B17: the expiry banner (seed 000: "Your users will also see this reminder when they log into
/// the system") uses the reminder emails' rule and date, so it appears on the first reminder day.
/// </summary>
public abstract class ExpiryBannerTests(AccrueApp app, MovableClock clock)
{
    /// <summary>Portal pages a plain member (Standard permission set) can open; the navigation's links are added to them.</summary>
    private static readonly string[] MemberPages =
        ["/portal", "/portal/subscriptions", "/portal/subscriptions/subscribe", "/portal/units", "/portal/support", "/portal/support/new",
         "/portal/settings", "/portal/settings/two-factor", "/faq"];

    [Fact]
    public async Task On_the_first_reminder_day_a_plain_member_sees_the_banner_on_every_portal_page_with_the_date_of_the_email_and_the_dashboard()
    {
        var customer = await app.NewPrepaidAsync();
        var subscription = await app.SubscribeAsync(customer.OrganizationId, months: 12, autoRenew: false);
        // By hand: the stored end is exclusive, the last day is the day before; the first reminder is 30 days before that.
        var lastDay = subscription.TermEnd.AddDays(-1);
        var shown = $"until {lastDay:yyyy-MM-dd} (in 30 days)";

        clock.MoveTo(lastDay.AddDays(-31), BillSteps.Zone);
        var member = await app.SignedInAsync(customer.MemberEmail, People.Password);
        Assert.Null((await member.GetPageAsync("/portal")).QuerySelector("#expiry-banner"));
        await app.RemindAsync();
        Assert.Equal(0, await app.QueuedAsync(customer.OwnerEmail, EmailTemplates.SubscriptionExpiring));

        clock.MoveTo(lastDay.AddDays(-30), BillSteps.Zone);
        await app.RemindAsync();
        var email = await app.DbAsync(db => db.Outbox.IgnoreQueryFilters()
            .SingleAsync(m => m.To == customer.ManagerEmail && m.Template == EmailTemplates.SubscriptionExpiring.Key));
        Assert.Contains(shown, email.TextBody, StringComparison.Ordinal);

        member = await app.SignedInAsync(customer.MemberEmail, People.Password);
        var dashboard = await member.GetPageAsync("/portal");
        Assert.Contains(shown, dashboard.QuerySelector(".subscriptions-tile .expiry-warning")!.TextContent, StringComparison.Ordinal);
        var links = dashboard.QuerySelectorAll("nav a[href^='/portal'], nav a[href^='/faq']")
            .Select(a => a.GetAttribute("href")!.Split('?', '#')[0]).Where(h => !h.EndsWith(".csv", StringComparison.Ordinal) && !h.EndsWith("/pdf", StringComparison.Ordinal)).ToList();
        var checkedPages = new List<string>();
        foreach (var path in MemberPages.Concat(links).Distinct(StringComparer.Ordinal))
        {
            var response = await member.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode}");
            var banner = Http.Parse(await response.Content.ReadAsStringAsync()).QuerySelector("#expiry-banner");
            Assert.True(banner is not null, $"no expiry banner on {path}");
            Assert.Contains(shown, banner.TextContent, StringComparison.Ordinal);
            Assert.NotNull(banner.QuerySelector($"a[href='/portal/subscriptions/{subscription.Id}/renew']"));
            checkedPages.Add(path);
        }
        Assert.True(checkedPages.Count >= MemberPages.Length, string.Join(", ", checkedPages));
    }
}

public sealed class ExpiryBannerTestsOnSqlite(JobsSqliteApp app) : ExpiryBannerTests(app, app.Clock), IClassFixture<JobsSqliteApp>;

public sealed class ExpiryBannerTestsOnPostgres(JobsPostgresApp app) : ExpiryBannerTests(app, app.Clock), IClassFixture<JobsPostgresApp>;
