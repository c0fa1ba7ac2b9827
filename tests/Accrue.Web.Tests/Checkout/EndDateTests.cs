using System.Text.Json;
using Accrue.Web.Infrastructure.Email;
using Accrue.Web.Tests.Api;
using Accrue.Web.Tests.Bills;
using Accrue.Web.Tests.Infrastructure;
using Accrue.Web.Tests.Jobs;
using Accrue.Web.Tests.Portal;
using Microsoft.EntityFrameworkCore;
using UglyToad.PdfPig;

namespace Accrue.Web.Tests.Checkout;

/// <summary>
/// Issue 15 B18: one end-date convention. The stored end is exclusive; the quote, the order's lines, the
/// invoice PDF, the subscription page, the renewal email and the API all show the same last day.
/// </summary>
public abstract class EndDateTests(AccrueApp app, MovableClock clock)
{
    [Fact]
    public async Task A_twelve_month_term_shows_the_same_last_day_on_the_quote_order_invoice_subscription_page_email_and_api()
    {
        clock.MoveTo(DateOnly.FromDateTime(DateTime.UtcNow).AddDays(1), BillSteps.Zone);
        var customer = await app.NewPrepaidAsync();
        await app.SetPasswordAsync(customer.OwnerEmail);
        var plan = await app.PlanIdAsync("tv-max");
        // By hand: bought today for 12 months, the term is [today, today + 12 months); its last day is the day before.
        var today = clock.TodayIn(BillSteps.Zone);
        var end = today.AddMonths(12);
        var lastDay = end.AddDays(-1);
        var period = $"{today:yyyy-MM-dd} – {lastDay:yyyy-MM-dd}";

        var owner = await app.SignedInAsync(customer.OwnerEmail, People.Password);
        var reviewUrl = $"/portal/subscriptions/subscribe/{plan}?Review=true&Months=12";
        var quote = await owner.GetPageAsync(reviewUrl);
        Assert.Equal([period], quote.QuerySelectorAll(".quote-table tbody .period").Select(c => c.TextContent.Trim()));

        var orderId = await owner.PayAsync(reviewUrl, SubscriptionsSteps.GoodCard);
        var order = await owner.GetPageAsync($"/portal/orders/{orderId}");
        Assert.Equal([period], order.QuerySelectorAll(".order-lines tbody .period").Select(c => c.TextContent.Trim()));
        Assert.Equal($"{lastDay:yyyy-MM-dd}", order.QuerySelector(".next-expiration")!.TextContent.Trim());

        var subscription = await app.OnlySubscriptionAsync(customer.OrganizationId);
        Assert.Equal(end, subscription.TermEnd);
        var page = (await owner.GetPageAsync("/portal/subscriptions")).QuerySelector($"[data-subscription-id='{subscription.Id}']")!;
        Assert.Equal(period, page.QuerySelector(".term")!.TextContent.Trim());
        Assert.Equal($"{lastDay:yyyy-MM-dd}", page.QuerySelector(".expiry")!.TextContent.Trim());

        var invoiceId = await app.DbAsync(db => db.Orders.IgnoreQueryFilters().Where(o => o.Id == orderId).Select(o => o.InvoiceId!.Value).SingleAsync());
        using (var pdf = PdfDocument.Open(await (await owner.GetAsync($"/portal/invoices/{invoiceId}/pdf")).Content.ReadAsByteArrayAsync()))
            Assert.Contains($"{today:yyyy-MM-dd} – {lastDay:yyyy-MM-dd}", string.Join(" ", pdf.GetPages().SelectMany(p => p.GetWords()).Select(w => w.Text)), StringComparison.Ordinal);

        var api = await app.ApiAsync(customer.OrganizationId, null);
        var json = JsonDocument.Parse(await api.GetStringAsync($"/api/v1/organizations/{customer.OrganizationId}/subscriptions/{subscription.Id}")).RootElement;
        Assert.Equal(($"{end:yyyy-MM-dd}", $"{lastDay:yyyy-MM-dd}"), (json.GetProperty("termEnd").GetString(), json.GetProperty("expiresOn").GetString()));
        var apiOrder = JsonDocument.Parse(await api.GetStringAsync($"/api/v1/orders/{orderId}")).RootElement;
        var line = apiOrder.GetProperty("lines")[0];
        Assert.Equal(($"{today:yyyy-MM-dd}", $"{end:yyyy-MM-dd}", $"{lastDay:yyyy-MM-dd}"),
            (line.GetProperty("periodStart").GetString(), line.GetProperty("periodEnd").GetString(), line.GetProperty("periodLastDay").GetString()));
        Assert.Equal(($"{lastDay:yyyy-MM-dd}", $"{end:yyyy-MM-dd}"), (apiOrder.GetProperty("nextExpiration").GetString(), apiOrder.GetProperty("nextTermEnd").GetString()));
        var apiInvoice = JsonDocument.Parse(await api.GetStringAsync($"/api/v1/invoices/{invoiceId}")).RootElement;
        Assert.Equal($"{lastDay:yyyy-MM-dd}", apiInvoice.GetProperty("lines")[0].GetProperty("periodLastDay").GetString());

        // The first reminder day: 30 days before the last day. The email names the same last day, counted the same way.
        clock.MoveTo(lastDay.AddDays(-30), BillSteps.Zone);
        await app.RemindAsync();
        var bodies = await app.DbAsync(db => db.Outbox.IgnoreQueryFilters().Where(m => m.To == customer.OwnerEmail && m.Template == EmailTemplates.RenewalUpcoming.Key)
            .Select(m => new { m.Subject, m.TextBody }).ToListAsync());
        var email = Assert.Single(bodies);
        Assert.Contains($"after {lastDay:yyyy-MM-dd}", email.Subject, StringComparison.Ordinal);
        Assert.Contains($"runs until {lastDay:yyyy-MM-dd} (in 30 days)", email.TextBody, StringComparison.Ordinal);
        owner = await app.SignedInAsync(customer.OwnerEmail, People.Password);
        var card = (await owner.GetPageAsync("/portal")).QuerySelector(".subscriptions-tile .expiry-warning")!;
        Assert.Contains($"until {lastDay:yyyy-MM-dd} (in 30 days)", card.TextContent, StringComparison.Ordinal);
    }
}

public sealed class EndDateTestsOnSqlite(JobsSqliteApp app) : EndDateTests(app, app.Clock), IClassFixture<JobsSqliteApp>;

public sealed class EndDateTestsOnPostgres(JobsPostgresApp app) : EndDateTests(app, app.Clock), IClassFixture<JobsPostgresApp>;
