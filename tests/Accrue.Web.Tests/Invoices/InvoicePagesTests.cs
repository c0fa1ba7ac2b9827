using System.Net;
using Accrue.Domain.Billing;
using Accrue.Domain.Invoices;
using Accrue.Domain.Subscriptions;
using Accrue.Web.Tests.Console;
using Accrue.Web.Tests.Infrastructure;
using Accrue.Web.Tests.Orders;
using Microsoft.EntityFrameworkCore;
using UglyToad.PdfPig;

namespace Accrue.Web.Tests.Invoices;

public abstract class InvoicePagesTests(AccrueApp app)
{
    [Fact]
    public async Task The_portal_lists_invoices_and_downloads_the_pdf_with_number_lines_and_total()
    {
        var order = await app.PaidSeatsOrderAsync();
        var invoice = await InvoiceOfAsync(order.Id);
        var owner = await app.SignedInAsync("owner@acme.test");

        var list = await owner.GetPageAsync("/portal/invoices");
        var row = list.QuerySelector($".invoices-table tr[data-invoice='{invoice.Number}']")!;
        Assert.Contains("Invoice", row.TextContent);
        Assert.Contains("Paid", row.TextContent);
        Assert.Contains(Money.Format(invoice.Total, invoice.Currency), row.TextContent);

        var response = await owner.GetAsync($"/portal/invoices/{invoice.Id}/pdf");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal($"{invoice.Number}.pdf", response.Content.Headers.ContentDisposition.FileNameStar ?? response.Content.Headers.ContentDisposition.FileName);
        var text = PdfText(await response.Content.ReadAsByteArrayAsync());
        Assert.Contains(invoice.Number, text);
        Assert.Contains("Finance", text);
        Assert.Contains(invoice.Total.ToString("N2", System.Globalization.CultureInfo.InvariantCulture), text);

        var fromOrder = (await owner.GetPageAsync($"/portal/orders/{order.Id}")).QuerySelector("a.download-invoice")!.GetAttribute("href")!;
        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync(fromOrder)).StatusCode);
    }

    [Fact]
    public async Task Another_organizations_invoice_is_not_found()
    {
        var invoice = await InvoiceOfAsync((await app.PaidSeatsOrderAsync()).Id);
        var globex = await app.SignedInAsync("owner@globex.test");
        Assert.Equal(HttpStatusCode.NotFound, (await globex.GetAsync($"/portal/invoices/{invoice.Id}/pdf")).StatusCode);
        Assert.Null((await globex.GetPageAsync("/portal/invoices")).QuerySelector($"tr[data-invoice='{invoice.Number}']"));
        var partner = await app.SignedInAsync(ConsoleSteps.PartnerStaff);
        Assert.Equal(HttpStatusCode.NotFound, (await partner.GetAsync($"/console/invoices/{invoice.Id}/pdf")).StatusCode);
    }

    [Fact]
    public async Task The_console_issues_a_credit_note_linked_to_the_invoice_and_refuses_crediting_a_line_twice()
    {
        var invoice = await InvoiceOfAsync((await app.PaidSeatsOrderAsync()).Id);
        var staff = await app.SignedInAsync(ConsoleSteps.Operator);
        Assert.NotNull((await staff.GetPageAsync("/console/invoices")).QuerySelector($"tr[data-invoice='{invoice.Number}']"));

        var missingReason = await staff.SubmitFormAsync($"/console/invoices/{invoice.Id}", new Dictionary<string, string> { ["Lines"] = "0" }, ".credit-form");
        Assert.Equal(HttpStatusCode.OK, missingReason.StatusCode);
        Assert.Contains("Reason is required.", Http.Parse(await missingReason.Content.ReadAsStringAsync()).Errors());
        Assert.Equal(0, await CreditNotesAsync(invoice.Id));

        var response = await staff.SubmitFormAsync($"/console/invoices/{invoice.Id}", new Dictionary<string, string> { ["Lines"] = "0", ["Reason"] = "Seat never used" }, ".credit-form");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var note = await app.DbAsync(db => db.Invoices.IgnoreQueryFilters().AsNoTracking().SingleAsync(i => i.CorrectsInvoiceId == invoice.Id));
        Assert.Equal(InvoiceKind.CreditNote, note.Kind);
        Assert.StartsWith("CN-", note.Number);
        Assert.Equal(-invoice.Lines[0].Amount, note.Lines.Single().Amount);
        Assert.Equal(-(invoice.Lines[0].Amount + invoice.Lines[0].Tax), note.Total);
        Assert.True(note.Total < 0);
        Assert.Equal("Seat never used", note.Reason);

        var page = await staff.GetPageAsync(response.Headers.Location!.OriginalString);
        Assert.Contains(invoice.Number, page.QuerySelector(".corrects")!.TextContent);
        Assert.Contains(note.Number, (await staff.GetPageAsync($"/console/invoices/{invoice.Id}")).QuerySelector(".credit-notes")!.TextContent);

        var again = await staff.PostFormAsync($"/console/invoices/{invoice.Id}?handler=Credit", new Dictionary<string, string> { ["Lines"] = "0", ["Reason"] = "Twice" }, $"/console/invoices/{invoice.Id}");
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Contains("One of these lines has already been credited.", Http.Parse(await again.Content.ReadAsStringAsync()).Errors());
        Assert.Equal(1, await CreditNotesAsync(invoice.Id));

        var owner = await app.SignedInAsync("owner@acme.test");
        var portalRow = (await owner.GetPageAsync("/portal/invoices")).QuerySelector($"tr[data-invoice='{note.Number}']")!;
        Assert.Contains("Credit note", portalRow.TextContent);
        Assert.Contains(invoice.Number, portalRow.TextContent);
        var pdf = await owner.GetAsync($"/portal/invoices/{note.Id}/pdf");
        Assert.Contains(note.Number, PdfText(await pdf.Content.ReadAsByteArrayAsync()));
    }

    [Fact]
    public async Task The_console_sets_seats_but_never_below_those_assigned()
    {
        var acmeId = await app.OrganizationIdAsync(Shop.Acme);
        var subscription = await app.DbAsync(db => db.Subscriptions.IgnoreQueryFilters().AsNoTracking().Include(s => s.Items)
            .FirstAsync(s => s.OrganizationId == acmeId && s.Items.Any(i => i.Kind == ItemKind.Seat)));
        var staff = await app.SignedInAsync(ConsoleSteps.Operator);
        var url = $"/console/organizations/{acmeId}/subscriptions";
        var form = $"[data-subscription='{subscription.Id}'] .set-seats-form";
        var page = await staff.GetPageAsync(url);
        var inputs = page.QuerySelectorAll($"{form} input[type=number]").ToList();
        var full = inputs.Single(i => i.Id!.EndsWith("-full", StringComparison.Ordinal)).GetAttribute("name")!;
        var mobile = inputs.Single(i => i.Id!.EndsWith("-mobile", StringComparison.Ordinal)).GetAttribute("name")!;

        // The owner holds a Full seat: zero Full seats is refused and nothing changes.
        var refused = await staff.SubmitFormAsync(url, new Dictionary<string, string> { [full] = "0" }, form);
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains(Http.Parse(await refused.Content.ReadAsStringAsync()).Errors(), e => e.Contains("assigned", StringComparison.Ordinal));
        Assert.Equal(subscription.Items.Sum(i => i.Quantity), await SeatsAsync(subscription.Id));

        // Mobile has no one assigned: the operator can reduce it mid-term.
        var mobileBefore = subscription.Items.Single(i => i.Name == "Mobile").Quantity;
        var reduced = await staff.SubmitFormAsync(url, new Dictionary<string, string> { [mobile] = "0" }, form);
        Assert.Equal(HttpStatusCode.Redirect, reduced.StatusCode);
        Assert.Equal(subscription.Items.Sum(i => i.Quantity) - mobileBefore, await SeatsAsync(subscription.Id));
    }

    [Fact]
    public async Task The_console_records_a_delivered_serial_number()
    {
        var globexId = await app.OrganizationIdAsync("Globex Postpaid GmbH");
        var subscriptionId = await app.DbAsync(db => db.Subscriptions.IgnoreQueryFilters().Where(s => s.OrganizationId == globexId).Select(s => s.Id).FirstAsync());
        var staff = await app.SignedInAsync(ConsoleSteps.Operator);
        var url = $"/console/organizations/{globexId}/subscriptions";
        var serial = Http.Unique("STB").ToUpperInvariant();
        var setTopBox = (await app.DbAsync(db => db.Products.IgnoreQueryFilters().SingleAsync(p => p.Kind == Accrue.Domain.Catalog.ProductKind.PhysicalGood && p.Name.Contains("box")))).Id.ToString();
        var response = await staff.SubmitFormAsync(url, new Dictionary<string, string> { ["ProductId"] = setTopBox, ["SerialNumber"] = serial }, $"[data-subscription='{subscriptionId}'] .delivery-form");
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, string.Join("; ", Http.Parse(await response.Content.ReadAsStringAsync()).Errors()));

        var item = await app.DbAsync(db => db.SubscriptionItems.IgnoreQueryFilters().SingleAsync(i => i.SerialNumber == serial));
        Assert.Equal(subscriptionId, item.SubscriptionId);
        Assert.Equal(ItemKind.PhysicalGood, item.Kind);
        Assert.Contains((await staff.GetPageAsync(url)).QuerySelectorAll(".subscription-items .serial"), c => c.TextContent == serial);

        var duplicate = await staff.SubmitFormAsync(url, new Dictionary<string, string> { ["ProductId"] = setTopBox, ["SerialNumber"] = serial }, $"[data-subscription='{subscriptionId}'] .delivery-form");
        Assert.Equal(HttpStatusCode.OK, duplicate.StatusCode);
        Assert.Contains(Http.Parse(await duplicate.Content.ReadAsStringAsync()).Errors(), e => e.Contains("already recorded", StringComparison.Ordinal));
        Assert.Equal(1, await app.DbAsync(db => db.SubscriptionItems.IgnoreQueryFilters().CountAsync(i => i.SerialNumber == serial)));
    }

    private Task<Invoice> InvoiceOfAsync(Guid orderId) =>
        app.DbAsync(db => db.Invoices.IgnoreQueryFilters().AsNoTracking().SingleAsync(i => i.OrderId == orderId));

    private Task<int> CreditNotesAsync(Guid invoiceId) =>
        app.DbAsync(db => db.Invoices.IgnoreQueryFilters().CountAsync(i => i.CorrectsInvoiceId == invoiceId));

    private Task<int> SeatsAsync(Guid subscriptionId) =>
        app.DbAsync(db => db.SubscriptionItems.IgnoreQueryFilters().Where(i => i.SubscriptionId == subscriptionId && i.Kind == ItemKind.Seat).SumAsync(i => i.Quantity));

    private static string PdfText(byte[] pdf)
    {
        using var document = PdfDocument.Open(pdf);
        return string.Join(" ", document.GetPages().SelectMany(p => p.GetWords()).Select(w => w.Text));
    }
}

public sealed class InvoicePagesTestsOnSqlite(SqliteApp app) : InvoicePagesTests(app), IClassFixture<SqliteApp>;

public sealed class InvoicePagesTestsOnPostgres(PostgresApp app) : InvoicePagesTests(app), IClassFixture<PostgresApp>;
