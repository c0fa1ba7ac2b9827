using System.Net.Http.Json;
using Accrue.Domain.Accounts;
using Accrue.Domain.Billing;
using Accrue.Domain.Orders;
using Accrue.Domain.Subscriptions;
using Accrue.Web.Tests.Api;
using Accrue.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Tests.Checkout;

/// <summary>
/// Issue 15 B20: a plan's minimum term (TV Max: 12 months) is enforced when a term is bought, and the
/// cancel page shows why cancelling is refused instead of a button that fails.
/// </summary>
public abstract class MinimumTermTests(AccrueApp app)
{
    [Fact]
    public async Task Subscribing_for_less_than_the_minimum_term_is_a_field_error_with_a_code_and_writes_nothing()
    {
        var customer = await app.NewCustomerAsync();
        var org = customer.OrganizationId;
        var tvMax = await app.PlanIdAsync("tv-max");
        var orders = await app.CountAsync<Order>();

        foreach (var path in new[] { "/quote", "" })
        {
            var problem = await (await customer.Api.PostAsJsonAsync($"/api/v1/organizations/{org}/subscriptions{path}", new { planId = tvMax, months = 11, acknowledged = true }))
                .ProblemAsync(400);
            Assert.Equal("below_minimum_term", problem.GetProperty("code").GetString());
            Assert.Equal(["months"], problem.ErrorKeys());
            Assert.Contains("minimum term of 12 months", problem.GetProperty("errors").GetProperty("months")[0].GetString(), StringComparison.Ordinal);
        }
        Assert.Equal(orders, await app.CountAsync<Order>());
        Assert.Equal(0, await app.DbAsync(db => db.Subscriptions.IgnoreQueryFilters().CountAsync(s => s.OrganizationId == org)));
        // Twelve months are fine.
        Assert.Equal(200, (int)(await customer.Api.PostAsJsonAsync($"/api/v1/organizations/{org}/subscriptions/quote", new { planId = tvMax, months = 12, acknowledged = true })).StatusCode);

        // The portal offers no shorter term, and a shorter one typed into the address is refused beside the field.
        var owner = await SignedInOwnerAsync(org);
        var choose = await owner.GetPageAsync($"/portal/subscriptions/subscribe/{tvMax}");
        Assert.Equal("12", choose.QuerySelector("#Months option")!.GetAttribute("value"));
        var review = await owner.GetPageAsync($"/portal/subscriptions/subscribe/{tvMax}?Review=true&Months=1");
        Assert.Contains(review.Errors(), e => e.Contains("minimum term of 12 months", StringComparison.Ordinal));
        Assert.Null(review.QuerySelector("#confirm-form"));
        Assert.Equal(orders, await app.CountAsync<Order>());
    }

    [Fact]
    public async Task A_renewal_must_reach_the_end_of_the_minimum_term_and_the_cancel_page_says_why_it_cannot_cancel()
    {
        var customer = await app.NewCustomerAsync();
        var org = customer.OrganizationId;
        // A TV Max subscription sold for one month before the rule was enforced: activated today, the minimum term runs 12 months from today.
        var today = customer.Today();
        var subscriptionId = await app.DbAsync(async db =>
        {
            var plan = await db.Plans.SingleAsync(p => p.Code == "tv-max");
            var subscription = Subscription.Activate(org, plan.Id, plan.CurrentVersionId!.Value, "EUR", new Term(today, today.AddMonths(1)), 1);
            db.Subscriptions.Add(subscription);
            await db.SaveChangesAsync();
            return subscription.Id;
        });
        var renewal = $"/api/v1/organizations/{org}/subscriptions/{subscriptionId}/renewal";
        var orders = await app.CountAsync<Order>();

        // From the end of the first month, 10 more months end a month short of the minimum term; 11 reach it.
        var problem = await (await customer.Api.PostAsJsonAsync(renewal, new { months = 10, acknowledged = true })).ProblemAsync(400);
        Assert.Equal(("below_minimum_term", "months"), (problem.GetProperty("code").GetString(), problem.ErrorKeys().Single()));
        Assert.Contains("choose at least 11 months", problem.GetProperty("errors").GetProperty("months")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(orders, await app.CountAsync<Order>());
        Assert.Equal(200, (int)(await customer.Api.PostAsJsonAsync(renewal + "/quote", new { months = 11, acknowledged = true })).StatusCode);

        // The cancel page names the first day it may be cancelled and offers no button that would be refused.
        var owner = await SignedInOwnerAsync(org);
        var cancel = await owner.GetPageAsync($"/portal/subscriptions/{subscriptionId}/cancel");
        var refused = cancel.QuerySelector(".cancel-refused")!;
        Assert.Equal("within_minimum_term", refused.GetAttribute("data-code"));
        Assert.Contains($"can be cancelled from {today.AddMonths(12):yyyy-MM-dd}", refused.TextContent, StringComparison.Ordinal);
        Assert.Null(cancel.QuerySelector("main form button.btn-danger"));
        var list = (await owner.GetPageAsync("/portal/subscriptions")).QuerySelector($"[data-subscription-id='{subscriptionId}']")!;
        Assert.Null(list.QuerySelector($"a[href='/portal/subscriptions/{subscriptionId}/cancel']"));
        Assert.Equal("within_minimum_term", list.QuerySelector(".cancel-refused")!.GetAttribute("data-code"));
        Assert.Equal("11", (await owner.GetPageAsync($"/portal/subscriptions/{subscriptionId}/renew")).QuerySelector("#Months option")!.GetAttribute("value"));
        Assert.False(await app.DbAsync(db => db.Subscriptions.IgnoreQueryFilters().Where(s => s.Id == subscriptionId).Select(s => s.CancelAtPeriodEnd).SingleAsync()));
    }

    private async Task<HttpClient> SignedInOwnerAsync(Guid organizationId)
    {
        var email = await app.DbAsync(db => db.Members.IgnoreQueryFilters().Where(m => m.OrganizationId == organizationId && m.Role == MemberRole.Owner).Select(m => m.Email).SingleAsync());
        await app.SetPasswordAsync(email);
        return await app.SignedInAsync(email, People.Password);
    }
}

public sealed class MinimumTermOnSqlite(SqliteApp app) : MinimumTermTests(app), IClassFixture<SqliteApp>;

public sealed class MinimumTermOnPostgres(PostgresApp app) : MinimumTermTests(app), IClassFixture<PostgresApp>;
