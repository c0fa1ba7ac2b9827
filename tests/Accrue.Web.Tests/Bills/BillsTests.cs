using System.Net;
using System.Net.Http.Json;
using Accrue.Domain.Accounts;
using Accrue.Domain.Invoices;
using Accrue.Domain.Orders;
using Accrue.Web.Data;
using Accrue.Web.Features.Bills;
using Accrue.Web.Tests.Api;
using Accrue.Web.Tests.Infrastructure;
using Accrue.Web.Tests.Orders;
using Microsoft.EntityFrameworkCore;
using Steps = Accrue.Domain.Invoices.BillSteps;

namespace Accrue.Web.Tests.Bills;

public abstract class BillsTests(AccrueApp app, MovableClock clock)
{
    private static Dictionary<string, string> CardFields(string number) => new()
    {
        ["Card.Number"] = number, ["Card.ExpiryMonth"] = "12", ["Card.ExpiryYear"] = (DateTime.UtcNow.Year + 3).ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Card.Cvc"] = "123", ["Card.Holder"] = "Olga Owner", ["Acknowledged"] = "true",
    };

    [Fact]
    public async Task A_postpaid_purchase_is_fulfilled_at_once_with_an_open_bill_due_after_the_payment_terms()
    {
        var customer = await app.NewPostpaidAsync(paymentTermsDays: 14);
        var (order, bill) = await app.BillAsync(customer.OrganizationId);

        Assert.Equal(OrderStatus.Succeeded, order.Status);
        Assert.Contains(order.Events, e => e.Note.StartsWith($"Billed on invoice {bill.Number} due {bill.IssuedOn.AddDays(14):yyyy-MM-dd}", StringComparison.Ordinal));
        Assert.Equal((InvoiceStatus.Open, bill.IssuedOn.AddDays(14), (Guid?)null, (DateTimeOffset?)null), (bill.Status, bill.DueOn, bill.PaymentId, bill.PaidAt));
        Assert.Equal(order.Total, bill.Total);
        Assert.Equal([Steps.Issued], bill.Events.Select(e => e.Step));
        Assert.Empty(await app.PaymentsAsync(customer.OrganizationId));
        Assert.Equal(1, await app.DbAsync(db => db.Subscriptions.IgnoreQueryFilters().CountAsync(s => s.OrganizationId == customer.OrganizationId)));
    }

    [Fact]
    public async Task The_owner_pays_two_bills_at_once_by_card_with_one_payment()
    {
        var customer = await app.NewPostpaidAsync();
        var (_, first) = await app.BillAsync(customer.OrganizationId);
        var (_, second) = await app.BillAsync(customer.OrganizationId);
        var owner = await app.SignedInAsync(customer.OwnerEmail, customer.Password);

        var page = await owner.GetPageAsync("/portal/bills");
        Assert.NotNull(page.QuerySelector("nav a[href='/portal/bills']"));
        Assert.Equal([first.Number, second.Number], page.QuerySelectorAll(".bills-table tbody tr").Select(r => r.GetAttribute("data-bill")!).Order());

        var fields = CardFields(Shop.GoodCard);
        var response = await owner.PostFormAsync("/portal/bills?handler=Pay", fields.Concat([new("InvoiceIds", first.Id.ToString())]).ToDictionary(), "/portal/bills");
        // The form pays one ticked bill here; two at once go through the API below (the same BillCommands).
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(InvoiceStatus.Paid, (await app.InvoiceAsync(first.Id)).Status);

        var (_, third) = await app.BillAsync(customer.OrganizationId);
        var api = await app.ApiAsync(customer.OrganizationId, null);
        var paid = await api.PostAsJsonAsync($"/api/v1/organizations/{customer.OrganizationId}/bills/pay",
            new { invoiceIds = new[] { second.Id, third.Id }, card = Shop.Card(Shop.GoodCard), acknowledged = true });
        Assert.Equal(HttpStatusCode.OK, paid.StatusCode);

        var payments = await app.PaymentsAsync(customer.OrganizationId);
        Assert.Equal(2, payments.Count);
        var together = payments.Single(p => p.InvoiceIds.Count == 2);
        Assert.Equal((PaymentStatus.Succeeded, PaymentSource.Card, (Guid?)null, second.Total + third.Total, "EUR"),
            (together.Status, together.Source, together.OrderId, together.Amount, together.Currency));
        Assert.Equal($"bills-{together.Id}", together.IdempotencyKey);
        foreach (var id in new[] { second.Id, third.Id })
        {
            var bill = await app.InvoiceAsync(id);
            Assert.Equal((InvoiceStatus.Paid, together.Id), (bill.Status, bill.PaymentId));
            Assert.Contains(bill.Events, e => e.Step == Steps.Paid && e.Note.Contains("Visa ending 4242", StringComparison.Ordinal));
        }

        var history = await owner.GetPageAsync("/portal/bills");
        Assert.Contains("No outstanding bills", history.QuerySelector("#outstanding-title")!.ParentElement!.TextContent, StringComparison.Ordinal);
        Assert.Equal(3, history.QuerySelectorAll(".invoices-table tbody tr").Length);
        var detail = await owner.GetPageAsync($"/portal/bills/{second.Id}");
        Assert.Equal(2, detail.QuerySelectorAll(".bill-timeline li").Length);
        var timeline = (await (await api.GetAsync($"/api/v1/invoices/{second.Id}/timeline")).JsonAsync()).GetProperty("items");
        Assert.Equal(["issued", "paid"], timeline.EnumerateArray().Select(e => e.GetProperty("step").GetString()!));
    }

    [Fact]
    public async Task A_declined_card_leaves_both_bills_open_and_releases_them()
    {
        var customer = await app.NewPostpaidAsync();
        var (_, first) = await app.BillAsync(customer.OrganizationId);
        var (_, second) = await app.BillAsync(customer.OrganizationId);

        var declined = await app.PayAsync(customer.OrganizationId, new PayBillsRequest { InvoiceIds = [first.Id, second.Id], Card = Shop.Card(Shop.DecliningCard), Acknowledged = true });

        Assert.Equal(PaymentStatus.Declined, declined.Value!.Status);
        foreach (var id in new[] { first.Id, second.Id })
        {
            var bill = await app.InvoiceAsync(id);
            Assert.Equal((InvoiceStatus.Open, (Guid?)null), (bill.Status, bill.PaymentId));
            Assert.Contains(bill.Events, e => e.Step == "payment-declined-1");
        }
        // Released: a good card pays them afterwards.
        var paid = await app.PayAsync(customer.OrganizationId, new PayBillsRequest { InvoiceIds = [first.Id, second.Id], Card = Shop.Card(Shop.GoodCard), Acknowledged = true });
        Assert.Equal(PaymentStatus.Succeeded, paid.Value!.Status);
    }

    [Fact]
    public async Task Two_concurrent_payments_of_one_bill_charge_once()
    {
        var customer = await app.NewPostpaidAsync();
        var (_, bill) = await app.BillAsync(customer.OrganizationId);

        var results = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(() =>
            app.PayAsync(customer.OrganizationId, new PayBillsRequest { InvoiceIds = [bill.Id], Card = Shop.Card(Shop.GoodCard), Acknowledged = true }))));

        Assert.Single(results, r => r.Succeeded && r.Value!.Status == PaymentStatus.Succeeded);
        var refused = Assert.Single(results, r => !r.Succeeded);
        Assert.Equal(Accrue.Domain.Common.FailureKind.Conflict, refused.Failure!.Kind);
        var payments = await app.PaymentsAsync(customer.OrganizationId);
        var payment = Assert.Single(payments);
        Assert.Equal(1, await app.DbAsync(db => db.SandboxCharges.CountAsync(c => c.IdempotencyKey == payment.IdempotencyKey)));
        Assert.Equal(InvoiceStatus.Paid, (await app.InvoiceAsync(bill.Id)).Status);
    }

    [Fact]
    public async Task Dunning_sends_each_reminder_once_before_and_after_the_due_date()
    {
        var customer = await app.NewPostpaidAsync(paymentTermsDays: 10);
        var (_, bill) = await app.BillAsync(customer.OrganizationId);
        var due = bill.DueOn!.Value;

        clock.MoveTo(due.AddDays(-7), BillSteps.Zone);
        await app.RunDunningAsync();
        await app.RunDunningAsync();
        await MailDev.WaitForAsync(customer.OwnerEmail, $"Bill {bill.Number} is due on");
        clock.MoveTo(due.AddDays(1), BillSteps.Zone);
        await app.RunDunningAsync();
        await app.RunDunningAsync();
        await MailDev.WaitForAsync(customer.OwnerEmail, $"Bill {bill.Number} is overdue");
        await Task.Delay(1000);

        var steps = (await app.InvoiceAsync(bill.Id)).Events.Select(e => e.Step).Order().ToList();
        Assert.Equal(["issued", "reminder-after-1", "reminder-before-7"], steps);
        Assert.Equal(2, (await MailDev.ToAsync(customer.OwnerEmail)).Count(m => m.Subject.Contains(bill.Number, StringComparison.Ordinal)));
        Assert.Equal(OrganizationStatus.Active, (await app.OrganizationAsync(customer.OrganizationId)).Status);
    }

    [Fact]
    public async Task Dunning_retries_the_card_on_file_and_a_success_pays_the_bill()
    {
        var customer = await app.NewPostpaidAsync(paymentTermsDays: 5);
        var (_, bill) = await app.BillAsync(customer.OrganizationId);
        await app.SaveCardAsync(customer.OrganizationId, Shop.GoodCard);

        clock.MoveTo(bill.DueOn!.Value.AddDays(3), BillSteps.Zone);
        await app.RunDunningAsync();

        var paid = await app.InvoiceAsync(bill.Id);
        Assert.Equal(InvoiceStatus.Paid, paid.Status);
        Assert.Contains(paid.Events, e => e.Step == "retry-3");
        var payment = Assert.Single(await app.PaymentsAsync(customer.OrganizationId));
        Assert.Equal((PaymentSource.CardOnFile, PaymentStatus.Succeeded, bill.Total), (payment.Source, payment.Status, payment.Amount));
        Assert.Equal(0, await app.RunDunningAsync());
    }

    [Fact]
    public async Task Dunning_retry_declined_keeps_the_bill_open_then_suspends_after_grace_and_paying_reactivates()
    {
        var customer = await app.NewPostpaidAsync(paymentTermsDays: 5);
        var (_, bill) = await app.BillAsync(customer.OrganizationId);
        await app.SaveCardAsync(customer.OrganizationId, Shop.DecliningCard);
        var due = bill.DueOn!.Value;

        clock.MoveTo(due.AddDays(3), BillSteps.Zone);
        await app.RunDunningAsync();
        var declined = await app.InvoiceAsync(bill.Id);
        Assert.Equal((InvoiceStatus.Open, (Guid?)null), (declined.Status, declined.PaymentId));
        Assert.Contains(declined.Events, e => e.Step == "retry-3");
        Assert.Contains(declined.Events, e => e.Step == "payment-declined-1");
        Assert.Equal(PaymentStatus.Declined, Assert.Single(await app.PaymentsAsync(customer.OrganizationId)).Status);

        clock.MoveTo(due.AddDays(20), BillSteps.Zone);
        await app.RunDunningAsync();
        Assert.Equal(OrganizationStatus.Active, (await app.OrganizationAsync(customer.OrganizationId)).Status);

        clock.MoveTo(due.AddDays(21), BillSteps.Zone);
        await app.RunDunningAsync();
        await app.RunDunningAsync();
        var suspended = await app.OrganizationAsync(customer.OrganizationId);
        Assert.Equal(OrganizationStatus.Suspended, suspended.Status);
        Assert.Equal($"Unpaid bills: {bill.Number} overdue since {due:yyyy-MM-dd}.", suspended.StatusReason);
        Assert.Single((await app.InvoiceAsync(bill.Id)).Events, e => e.Step == Steps.Suspended);
        Assert.Equal(1, await app.DbAsync(db => db.AuditEntries.IgnoreQueryFilters().CountAsync(a => a.Action == "Organization.Suspended" && a.EntityId == customer.OrganizationId.ToString())));

        var paid = await app.PayAsync(customer.OrganizationId, new PayBillsRequest { InvoiceIds = [bill.Id], Card = Shop.Card(Shop.GoodCard), Acknowledged = true });
        Assert.Equal(PaymentStatus.Succeeded, paid.Value!.Status);
        var reactivated = await app.OrganizationAsync(customer.OrganizationId);
        Assert.Equal((OrganizationStatus.Active, (string?)null), (reactivated.Status, reactivated.StatusReason));
        Assert.Equal(1, await app.DbAsync(db => db.AuditEntries.IgnoreQueryFilters().CountAsync(a => a.Action == "Organization.Reactivated" && a.EntityId == customer.OrganizationId.ToString())));
    }

    [Fact]
    public async Task Bad_payment_requests_are_refused_and_write_nothing()
    {
        var customer = await app.NewPostpaidAsync();
        var (_, bill) = await app.BillAsync(customer.OrganizationId);
        var (_, paidBill) = await app.BillAsync(customer.OrganizationId);
        Assert.True((await app.PayAsync(customer.OrganizationId, new PayBillsRequest { InvoiceIds = [paidBill.Id], Card = Shop.Card(Shop.GoodCard), Acknowledged = true })).Succeeded);
        var other = await app.NewPostpaidAsync();
        var (_, othersBill) = await app.BillAsync(other.OrganizationId);
        // A bill in another currency: the organization changed currency after it.
        await app.DbAsync(db => db.Organizations.IgnoreQueryFilters().Where(o => o.Id == customer.OrganizationId).ExecuteUpdateAsync(s => s.SetProperty(o => o.Currency, "USD")));
        var (_, dollars) = await app.BillAsync(customer.OrganizationId);
        var api = await app.ApiAsync(customer.OrganizationId, null);
        var url = $"/api/v1/organizations/{customer.OrganizationId}/bills/pay";
        var payments = await app.CountAsync<Payment>();
        var events = await app.CountAsync<InvoiceEvent>();

        await (await api.PostAsJsonAsync(url, new { invoiceIds = Array.Empty<Guid>(), card = Shop.Card(Shop.GoodCard), acknowledged = true })).ProblemAsync(400);
        await (await api.PostAsJsonAsync(url, new { invoiceIds = new[] { othersBill.Id }, card = Shop.Card(Shop.GoodCard), acknowledged = true })).ProblemAsync(404);
        await (await api.PostAsJsonAsync(url, new { invoiceIds = new[] { paidBill.Id }, card = Shop.Card(Shop.GoodCard), acknowledged = true })).ProblemAsync(409);
        var mixed = await (await api.PostAsJsonAsync(url, new { invoiceIds = new[] { bill.Id, dollars.Id }, card = Shop.Card(Shop.GoodCard), acknowledged = true })).ProblemAsync(400);
        Assert.Contains("different currencies", mixed.ToString(), StringComparison.Ordinal);
        await (await api.PostAsJsonAsync(url, new { invoiceIds = new[] { bill.Id }, card = Shop.Card(Shop.GoodCard), acknowledged = false })).ProblemAsync(400);
        await (await api.PostAsJsonAsync(url, new { invoiceIds = new[] { bill.Id }, useCardOnFile = true, acknowledged = true })).ProblemAsync(400);
        await (await api.PostAsJsonAsync(url, new { invoiceIds = new[] { bill.Id }, card = Shop.Card("1234"), acknowledged = true })).ProblemAsync(400);

        Assert.Equal(payments, await app.CountAsync<Payment>());
        Assert.Equal(events, await app.CountAsync<InvoiceEvent>());
        Assert.Equal((InvoiceStatus.Open, (Guid?)null), ((await app.InvoiceAsync(bill.Id)).Status, (await app.InvoiceAsync(bill.Id)).PaymentId));
        Assert.Equal(InvoiceStatus.Open, (await app.InvoiceAsync(othersBill.Id)).Status);

        var outstanding = (await (await api.GetAsync($"/api/v1/organizations/{customer.OrganizationId}/bills")).JsonAsync()).GetProperty("items");
        Assert.Equal(2, outstanding.GetArrayLength());
        var all = (await (await api.GetAsync($"/api/v1/organizations/{customer.OrganizationId}/bills?status=all")).JsonAsync()).GetProperty("items");
        Assert.Equal(3, all.GetArrayLength());
        await (await api.GetAsync($"/api/v1/organizations/{customer.OrganizationId}/bills?status=late")).ProblemAsync(400);
    }

    [Fact]
    public async Task A_member_without_view_billing_gets_403_and_payment_terms_are_edited_within_0_to_365_days()
    {
        var customer = await app.NewPostpaidAsync();
        var name = (await app.OrganizationAsync(customer.OrganizationId)).Name;
        var member = await app.NewMemberAsync(name, Accrue.Domain.Accounts.PermissionSet.SupportId);
        var client = await app.SignedInAsync(member.Email, member.Password);
        await client.GetPageAsync("/portal/bills", HttpStatusCode.Forbidden);

        var operatorApi = await app.OperatorApiAsync();
        var organization = await app.OrganizationAsync(customer.OrganizationId);
        object Body(int days) => new
        {
            name = organization.Name, country = "DE", currency = "EUR", timeZone = BillSteps.Zone, billingMode = "Postpaid", paymentTermsDays = days,
        };
        await (await operatorApi.PutAsJsonAsync($"/api/v1/organizations/{customer.OrganizationId}", Body(366))).ProblemAsync(400);
        Assert.Equal(30, (await app.OrganizationAsync(customer.OrganizationId)).PaymentTermsDays);
        var updated = await operatorApi.PutAsJsonAsync($"/api/v1/organizations/{customer.OrganizationId}", Body(45));
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        Assert.Equal(45, (await app.OrganizationAsync(customer.OrganizationId)).PaymentTermsDays);
    }
}

public sealed class BillsTestsOnSqlite(ClockedSqliteApp app) : BillsTests(app, app.Clock), IClassFixture<ClockedSqliteApp>;

public sealed class BillsTestsOnPostgres(ClockedPostgresApp app) : BillsTests(app, app.Clock), IClassFixture<ClockedPostgresApp>;
