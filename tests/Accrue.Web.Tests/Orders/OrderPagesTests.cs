using System.Net;
using Accrue.Domain.Accounts;
using Accrue.Domain.Invoices;
using Accrue.Domain.Orders;
using Accrue.Web.Data;
using Accrue.Web.Tests.Console;
using Accrue.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Tests.Orders;

public abstract class OrderPagesTests(AccrueApp app)
{
    private static List<string> Listed(AngleSharp.Html.Dom.IHtmlDocument page) =>
        page.QuerySelectorAll(".orders-table tbody tr").Select(r => r.GetAttribute("data-order")!).ToList();

    [Fact]
    public async Task The_order_list_filters_by_number_status_type_and_date_range()
    {
        var paid = await app.PaidSeatsOrderAsync();
        var waiting = await app.PlaceSeatsOrderAsync();
        var old = await app.PlaceSeatsOrderAsync();
        await app.DbAsync(db => db.Orders.IgnoreQueryFilters().Where(o => o.Id == old.Id)
            .ExecuteUpdateAsync(u => u.SetProperty(o => o.CreatedAt, new DateTimeOffset(2020, 3, 15, 10, 0, 0, TimeSpan.Zero))));
        var owner = await app.SignedInAsync("owner@acme.test");

        var byNumber = Listed(await owner.GetPageAsync($"/portal/orders?number={paid.Reference}"));
        Assert.Equal([paid.Reference], byNumber);
        Assert.Equal([waiting.Reference], Listed(await owner.GetPageAsync($"/portal/orders?number={waiting.Number}")));

        var succeeded = Listed(await owner.GetPageAsync("/portal/orders?status=Succeeded"));
        Assert.Contains(paid.Reference, succeeded);
        Assert.DoesNotContain(waiting.Reference, succeeded);
        var processing = Listed(await owner.GetPageAsync("/portal/orders?status=Processing"));
        Assert.Contains(waiting.Reference, processing);
        Assert.DoesNotContain(paid.Reference, processing);

        Assert.Contains(paid.Reference, Listed(await owner.GetPageAsync("/portal/orders?type=Seats")));
        Assert.Empty(Listed(await owner.GetPageAsync("/portal/orders?type=Voucher")));
        Assert.Contains("No orders match these filters.", (await owner.GetPageAsync("/portal/orders?type=Voucher")).QuerySelector(".empty-state")!.TextContent);

        Assert.Equal([old.Reference], Listed(await owner.GetPageAsync("/portal/orders?from=2020-03-01&to=2020-03-31")));
        var recent = Listed(await owner.GetPageAsync($"/portal/orders?from={DateTime.UtcNow:yyyy-MM-dd}"));
        Assert.Contains(paid.Reference, recent);
        Assert.DoesNotContain(old.Reference, recent);

        var row = (await owner.GetPageAsync($"/portal/orders?number={paid.Reference}")).QuerySelector(".orders-table tbody tr")!.TextContent;
        Assert.Contains("Seats", row);
        Assert.Contains("1 seats", row);
        Assert.Contains("Succeeded", row);
        Assert.Contains($"USD {paid.Total:N2}", row);
    }

    [Fact]
    public async Task Order_details_show_the_lines_proration_timeline_payment_and_invoice()
    {
        var paid = await app.PaidSeatsOrderAsync();
        Assert.NotNull(paid.ProrationNote);
        var owner = await app.SignedInAsync("owner@acme.test");
        var page = await owner.GetPageAsync($"/portal/orders/{paid.Id}");

        Assert.Equal(paid.ProrationNote, page.QuerySelector(".proration-note")!.TextContent.Trim());
        Assert.Contains("month", paid.ProrationNote);
        var timeline = page.QuerySelectorAll(".order-timeline li").Select(li => li.TextContent).ToList();
        Assert.True(timeline.Count >= 3, string.Join("\n", timeline));
        Assert.Contains(timeline, t => t.Contains("Order created", StringComparison.Ordinal));
        Assert.Contains(timeline, t => t.Contains("Fulfilled", StringComparison.Ordinal));
        Assert.Contains("ending 4242", page.QuerySelector(".order-payments")!.TextContent);
        Assert.Contains("Succeeded", page.QuerySelector(".order-payments")!.TextContent);
        Assert.Equal(paid.Lines.Count, page.QuerySelectorAll(".order-lines tbody tr").Length);
        var invoiceId = await app.DbAsync(db => db.Invoices.IgnoreQueryFilters().Where(i => i.OrderId == paid.Id).Select(i => i.Id).SingleAsync());
        Assert.Equal($"/portal/invoices/{invoiceId}/pdf", page.QuerySelector("a.download-invoice")!.GetAttribute("href"));
        Assert.Contains("can't be deleted: its invoice is a legal record", page.QuerySelector(".legal-record")!.TextContent);
        Assert.Null(page.QuerySelector(".delete-form"));
    }

    [Fact]
    public async Task Deleting_a_failed_order_hides_it_and_audits_the_deletion()
    {
        var order = await app.PlaceSeatsOrderAsync();
        Assert.Equal(OrderStatus.Failed, (await app.PayAsync(order.Id, Shop.DecliningCard)).Order.Status);
        var owner = await app.SignedInAsync("owner@acme.test");
        Assert.NotNull((await owner.GetPageAsync($"/portal/orders/{order.Id}")).QuerySelector(".delete-form"));

        var response = await owner.SubmitFormAsync($"/portal/orders/{order.Id}", new Dictionary<string, string>(), ".delete-form");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Empty(Listed(await owner.GetPageAsync($"/portal/orders?number={order.Reference}")));
        await owner.GetPageAsync($"/portal/orders/{order.Id}", HttpStatusCode.NotFound);
        Assert.NotNull((await app.OrderAsync(order.Id)).DeletedAt);
        var audit = await app.DbAsync(db => db.AuditEntries.IgnoreQueryFilters().Where(a => a.Action == "Order.Deleted" && a.EntityId == order.Id.ToString()).CountAsync());
        Assert.Equal(1, audit);
    }

    [Fact]
    public async Task A_succeeded_order_can_not_be_deleted_because_its_invoice_is_a_legal_record()
    {
        var paid = await app.PaidSeatsOrderAsync();
        var owner = await app.SignedInAsync("owner@acme.test");
        var response = await owner.PostFormAsync($"/portal/orders/{paid.Id}?handler=Delete", new Dictionary<string, string>(), $"/portal/orders/{paid.Id}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("A succeeded order can't be deleted: its invoice is a legal record.", Http.Parse(await response.Content.ReadAsStringAsync()).Errors());
        var stored = await app.OrderAsync(paid.Id);
        Assert.Null(stored.DeletedAt);
        Assert.Equal(OrderStatus.Succeeded, stored.Status);
        Assert.Equal(0, await app.DbAsync(db => db.AuditEntries.IgnoreQueryFilters().CountAsync(a => a.Action == "Order.Deleted" && a.EntityId == paid.Id.ToString())));
        Assert.Equal([paid.Reference], Listed(await owner.GetPageAsync($"/portal/orders?number={paid.Reference}")));
    }

    [Fact]
    public async Task The_owner_pays_a_processing_order_from_its_page()
    {
        var order = await app.PlaceSeatsOrderAsync();
        var seatsBefore = await FinanceSeatsAsync(order.SubscriptionId!.Value);
        var owner = await app.SignedInAsync("owner@acme.test");

        var unacknowledged = await owner.SubmitFormAsync($"/portal/orders/{order.Id}", Card(Shop.GoodCard), ".pay-form");
        Assert.Equal(HttpStatusCode.OK, unacknowledged.StatusCode);
        Assert.Contains(Http.Parse(await unacknowledged.Content.ReadAsStringAsync()).Errors(), e => e.Contains("I am authorized to purchase", StringComparison.Ordinal));
        Assert.Equal(0, await app.DbAsync(db => db.Payments.IgnoreQueryFilters().CountAsync(p => p.OrderId == order.Id)));

        var fields = Card(Shop.GoodCard);
        fields["Acknowledged"] = "true";
        var response = await owner.SubmitFormAsync($"/portal/orders/{order.Id}", fields, ".pay-form");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var page = await owner.GetPageAsync($"/portal/orders/{order.Id}");
        Assert.Contains("is paid", page.QuerySelector(".alert-success")!.TextContent);
        Assert.Equal("Succeeded", page.QuerySelector(".order-summary [data-status]")!.GetAttribute("data-status"));
        Assert.Equal(OrderStatus.Succeeded, (await app.OrderAsync(order.Id)).Status);
        Assert.Equal(seatsBefore + 1, await FinanceSeatsAsync(order.SubscriptionId!.Value));
        Assert.Equal(1, await app.DbAsync(db => db.Invoices.IgnoreQueryFilters().CountAsync(i => i.OrderId == order.Id)));
    }

    [Fact]
    public async Task A_timed_out_payment_waits_in_system_processing_until_the_console_reconciles_it()
    {
        var order = await app.PlaceSeatsOrderAsync();
        var owner = await app.SignedInAsync("owner@acme.test");
        var fields = Card(Shop.TimeoutCard);
        fields["Acknowledged"] = "true";
        Assert.Equal(HttpStatusCode.Redirect, (await owner.SubmitFormAsync($"/portal/orders/{order.Id}", fields, ".pay-form")).StatusCode);
        Assert.Equal(OrderStatus.SystemProcessing, (await app.OrderAsync(order.Id)).Status);
        Assert.Equal(PaymentStatus.Unknown, await app.DbAsync(db => db.Payments.IgnoreQueryFilters().Where(p => p.OrderId == order.Id).Select(p => p.Status).SingleAsync()));
        Assert.Equal(0, await app.DbAsync(db => db.Invoices.IgnoreQueryFilters().CountAsync(i => i.OrderId == order.Id)));
        Assert.Null((await owner.GetPageAsync($"/portal/orders/{order.Id}")).QuerySelector(".pay-form"));

        var staff = await app.SignedInAsync(ConsoleSteps.Operator);
        var response = await staff.SubmitFormAsync("/console/orders", new Dictionary<string, string>(), ".reconcile-form");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(OrderStatus.Succeeded, (await app.OrderAsync(order.Id)).Status);
        Assert.Equal(1, await app.DbAsync(db => db.Invoices.IgnoreQueryFilters().CountAsync(i => i.OrderId == order.Id)));
        Assert.Equal(1, await app.DbAsync(db => db.Payments.IgnoreQueryFilters().CountAsync(p => p.OrderId == order.Id && p.Status == PaymentStatus.Succeeded)));
        Assert.Equal(1, await app.DbAsync(db => db.Payments.IgnoreQueryFilters().CountAsync(p => p.OrderId == order.Id)));

        // Running it again changes nothing.
        await staff.SubmitFormAsync("/console/orders", new Dictionary<string, string>(), ".reconcile-form");
        Assert.Equal(1, await app.DbAsync(db => db.Invoices.IgnoreQueryFilters().CountAsync(i => i.OrderId == order.Id)));

        var detail = await staff.GetPageAsync($"/console/orders/{order.Id}");
        Assert.Contains(detail.QuerySelectorAll(".order-timeline li"), li => li.TextContent.Contains("did not answer", StringComparison.Ordinal));
        Assert.Contains(detail.QuerySelectorAll(".order-timeline li"), li => li.TextContent.Contains("Fulfilled", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Another_organizations_order_is_not_found()
    {
        var order = await app.PlaceSeatsOrderAsync();
        var globex = await app.SignedInAsync("owner@globex.test");
        await globex.GetPageAsync($"/portal/orders/{order.Id}", HttpStatusCode.NotFound);
        Assert.Empty(Listed(await globex.GetPageAsync($"/portal/orders?number={order.Reference}")));
        var response = await globex.PostFormAsync($"/portal/orders/{order.Id}?handler=Delete", new Dictionary<string, string>(), "/portal/orders");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Null((await app.OrderAsync(order.Id)).DeletedAt);
    }

    [Fact]
    public async Task Members_without_view_billing_get_403_while_billing_members_can_pay()
    {
        var support = await app.NewMemberAsync(permissionSetId: PermissionSet.SupportId);
        var client = await app.SignedInAsync(support.Email, support.Password);
        var forbidden = await client.GetAsync("/portal/orders");
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Contains("View billing", await forbidden.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/portal/invoices")).StatusCode);
        Assert.DoesNotContain("/portal/orders", (await client.GetPageAsync("/portal")).QuerySelector("header")!.InnerHtml);

        var billing = await app.NewMemberAsync(permissionSetId: PermissionSet.BillingId);
        var reader = await app.SignedInAsync(billing.Email, billing.Password);
        var order = await app.PlaceSeatsOrderAsync();
        var page = await reader.GetPageAsync($"/portal/orders/{order.Id}");
        Assert.NotNull(page.QuerySelector(".pay-form"));
    }

    [Fact]
    public async Task The_console_lists_orders_of_all_organizations_and_of_one()
    {
        var acme = await app.PlaceSeatsOrderAsync();
        var staff = await app.SignedInAsync(ConsoleSteps.Operator);
        var all = await staff.GetPageAsync($"/console/orders?number={acme.Reference}");
        Assert.Contains(Shop.Acme, all.QuerySelector(".orders-table tbody tr")!.TextContent);
        Assert.Equal([acme.Reference], Listed(await staff.GetPageAsync($"/console/organizations/{acme.OrganizationId}/orders?status=Processing&number={acme.Number}")));
        var globexId = await app.OrganizationIdAsync("Globex Postpaid GmbH");
        Assert.Empty(Listed(await staff.GetPageAsync($"/console/organizations/{globexId}/orders?number={acme.Reference}")));

        // Partner staff see only their partner's organizations.
        var partner = await app.SignedInAsync(ConsoleSteps.PartnerStaff);
        Assert.Empty(Listed(await partner.GetPageAsync($"/console/orders?number={acme.Reference}")));
        await partner.GetPageAsync($"/console/orders/{acme.Id}", HttpStatusCode.NotFound);
    }

    private static Dictionary<string, string> Card(string number) => new()
    {
        ["PaymentMethod"] = "NewCard", ["Card.Number"] = number, ["Card.ExpiryMonth"] = "12", ["Card.ExpiryYear"] = (DateTime.UtcNow.Year + 2).ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Card.Cvc"] = "123", ["Card.Holder"] = "Olive Owner",
    };

    private Task<int> FinanceSeatsAsync(Guid subscriptionId) =>
        app.DbAsync(db => db.SubscriptionItems.IgnoreQueryFilters().Where(i => i.SubscriptionId == subscriptionId && i.Name == "Finance").SumAsync(i => i.Quantity));
}

public sealed class OrderPagesTestsOnSqlite(SqliteApp app) : OrderPagesTests(app), IClassFixture<SqliteApp>;

public sealed class OrderPagesTestsOnPostgres(PostgresApp app) : OrderPagesTests(app), IClassFixture<PostgresApp>;
