using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Accrue.Domain.Catalog;
using Accrue.Domain.Subscriptions;
using Accrue.Domain.Wallets;
using Accrue.Web.Tests.Bills;
using Accrue.Web.Tests.Console;
using Accrue.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using UglyToad.PdfPig;

namespace Accrue.Web.Tests.Api;

/// <summary>
/// What the console and the portal do with serial numbers and files, over the API (issue 6 §4): hardware
/// deliveries, a plan's SLA document, a print batch's PDF sheet and the wallet's CSV, through the same commands.
/// </summary>
public abstract class ConsoleFilesApiTests(AccrueApp app)
{
    /// <summary>Enough of a PDF for the upload rules, which look at the declared type and the first bytes.</summary>
    private static byte[] Pdf(string text) => Encoding.ASCII.GetBytes($"%PDF-1.7\n% {text}\n%%EOF\n");

    private static ByteArrayContent Body(byte[] bytes, string contentType)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return content;
    }

    private Task<Guid> ProductAsync(string code) => app.DbAsync(db => db.Products.IgnoreQueryFilters().Where(p => p.Code == code).Select(p => p.Id).SingleAsync());

    private Task<int> ItemsAsync(Guid subscriptionId) => app.DbAsync(db => db.SubscriptionItems.IgnoreQueryFilters().CountAsync(i => i.SubscriptionId == subscriptionId));

    [Fact]
    public async Task Staff_keys_record_a_delivered_serial_number_and_the_subscription_shows_it()
    {
        var customer = await app.NewPostpaidAsync();
        await app.BillAsync(customer.OrganizationId);
        var subscription = await app.DbAsync(db => db.Subscriptions.IgnoreQueryFilters().Where(s => s.OrganizationId == customer.OrganizationId).Select(s => s.Id).SingleAsync());
        var setTopBox = await ProductAsync("stb");
        var serial = Http.Unique("STB-API").ToUpperInvariant();
        var url = $"/api/v1/organizations/{customer.OrganizationId}/subscriptions/{subscription}/deliveries";
        var operatorKey = await app.OperatorApiAsync();

        var recorded = await operatorKey.PostAsJsonAsync(url, new { productId = setTopBox, serialNumber = $"  {serial} " });
        Assert.Equal(HttpStatusCode.Created, recorded.StatusCode);
        var body = await recorded.JsonAsync();
        Assert.Equal((setTopBox, "Set-top box", 1, serial), (body.GetProperty("productId").GetGuid(), body.GetProperty("name").GetString(),
            body.GetProperty("quantity").GetInt32(), body.GetProperty("serialNumber").GetString()));
        var item = await app.DbAsync(db => db.SubscriptionItems.IgnoreQueryFilters().SingleAsync(i => i.SerialNumber == serial));
        Assert.Equal((subscription, customer.OrganizationId, ItemKind.PhysicalGood, setTopBox), (item.SubscriptionId, item.OrganizationId, item.Kind, item.ProductId));
        var shown = await (await operatorKey.GetAsync($"/api/v1/organizations/{customer.OrganizationId}/subscriptions/{subscription}")).JsonAsync();
        Assert.Contains(shown.GetProperty("physicalGoods").EnumerateArray(), g => g.GetProperty("serialNumber").GetString() == serial);

        // Partner keys record deliveries for their partner's organizations, as partner staff do on the page.
        var initech = await app.OrganizationIdAsync(ApiKeysForTests.Initech);
        var initechSubscription = await app.DbAsync(db => db.Subscriptions.IgnoreQueryFilters().Where(s => s.OrganizationId == initech).Select(s => s.Id).FirstAsync());
        var router = Http.Unique("RT").ToUpperInvariant();
        var partner = await (await app.PartnerApiAsync()).PostAsJsonAsync($"/api/v1/organizations/{initech}/subscriptions/{initechSubscription}/deliveries",
            new { productId = await ProductAsync("router"), serialNumber = router });
        Assert.Equal(HttpStatusCode.Created, partner.StatusCode);
        Assert.Equal(initechSubscription, await app.DbAsync(db => db.SubscriptionItems.IgnoreQueryFilters().Where(i => i.SerialNumber == router).Select(i => i.SubscriptionId).SingleAsync()));
    }

    [Fact]
    public async Task Deliveries_with_a_bad_or_duplicate_serial_or_by_the_wrong_key_are_refused_and_nothing_is_written()
    {
        var customer = await app.NewPostpaidAsync();
        await app.BillAsync(customer.OrganizationId);
        var subscription = await app.DbAsync(db => db.Subscriptions.IgnoreQueryFilters().Where(s => s.OrganizationId == customer.OrganizationId).Select(s => s.Id).SingleAsync());
        var setTopBox = await ProductAsync("stb");
        var url = $"/api/v1/organizations/{customer.OrganizationId}/subscriptions/{subscription}/deliveries";
        var operatorKey = await app.OperatorApiAsync();
        var existing = Http.Unique("STB-DUP").ToUpperInvariant();
        Assert.Equal(HttpStatusCode.Created, (await operatorKey.PostAsJsonAsync(url, new { productId = setTopBox, serialNumber = existing })).StatusCode);
        var items = await ItemsAsync(subscription);
        var all = await app.CountAsync<SubscriptionItem>();

        var duplicate = await (await operatorKey.PostAsJsonAsync(url, new { productId = setTopBox, serialNumber = existing })).ProblemAsync(400);
        Assert.Equal(["serialNumber"], duplicate.ErrorKeys());
        Assert.Contains("already recorded", duplicate.GetProperty("errors").GetProperty("serialNumber")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(["serialNumber"], (await (await operatorKey.PostAsJsonAsync(url, new { productId = setTopBox, serialNumber = "  " })).ProblemAsync(400)).ErrorKeys());
        Assert.Equal(["serialNumber"], (await (await operatorKey.PostAsJsonAsync(url, new { productId = setTopBox, serialNumber = new string('9', 101) })).ProblemAsync(400)).ErrorKeys());
        var notAGood = await (await operatorKey.PostAsJsonAsync(url, new { productId = await ProductAsync("tv"), serialNumber = Http.Unique("X") })).ProblemAsync(400);
        Assert.Equal(["productId"], notAGood.ErrorKeys());
        Assert.Equal(["productId", "serialNumber"], (await (await operatorKey.PostAsJsonAsync(url, new { })).ProblemAsync(400)).ErrorKeys().Order(StringComparer.Ordinal));

        // The customer's own key can't record deliveries; another partner's key doesn't see the organization.
        var own = await app.ApiAsync(customer.OrganizationId, null);
        await (await own.PostAsJsonAsync(url, new { productId = setTopBox, serialNumber = Http.Unique("OWN") })).ProblemAsync(403);
        await (await (await app.PartnerApiAsync()).PostAsJsonAsync(url, new { productId = setTopBox, serialNumber = Http.Unique("PARTNER") })).ProblemAsync(404);
        var elsewhere = await app.NewPostpaidAsync();
        await (await operatorKey.PostAsJsonAsync($"/api/v1/organizations/{elsewhere.OrganizationId}/subscriptions/{subscription}/deliveries",
            new { productId = setTopBox, serialNumber = Http.Unique("CROSS") })).ProblemAsync(404);

        Assert.Equal(items, await ItemsAsync(subscription));
        Assert.Equal(all, await app.CountAsync<SubscriptionItem>());
    }

    [Fact]
    public async Task The_operator_uploads_a_plans_sla_and_subscribed_customers_and_staff_download_the_same_file()
    {
        var plan = await app.DbAsync(db => db.Plans.Where(p => p.Code == "tv-max").Select(p => p.Id).SingleAsync());
        var operatorKey = await app.OperatorApiAsync();
        var first = Pdf("first version");
        var uploaded = await operatorKey.PutAsync($"/api/v1/plans/{plan}/sla?fileName=tv-max-sla.pdf", Body(first, "application/pdf"));
        Assert.Equal(HttpStatusCode.OK, uploaded.StatusCode);
        var answer = await uploaded.JsonAsync();
        Assert.Equal((plan, "tv-max-sla.pdf", (long)first.Length), (answer.GetProperty("planId").GetGuid(), answer.GetProperty("fileName").GetString(), answer.GetProperty("size").GetInt64()));
        Assert.True((await (await operatorKey.GetAsync($"/api/v1/plans/{plan}")).JsonAsync()).GetProperty("hasSla").GetBoolean());
        var documents = await app.CountAsync<Document>();

        // Replacing keeps one document per plan.
        var second = Pdf("second version");
        Assert.Equal(HttpStatusCode.OK, (await operatorKey.PutAsync($"/api/v1/plans/{plan}/sla?fileName=tv-max-sla-2.pdf", Body(second, "application/pdf; charset=binary"))).StatusCode);
        Assert.Equal(documents, await app.CountAsync<Document>());

        var download = await operatorKey.GetAsync($"/api/v1/plans/{plan}/sla");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("application/pdf", download.Content.Headers.ContentType?.MediaType);
        Assert.Equal("tv-max-sla-2.pdf", download.Content.Headers.ContentDisposition?.FileName);
        Assert.Equal(second, await download.Content.ReadAsByteArrayAsync());
        var console = await app.SignedInAsync(ConsoleSteps.Operator);
        Assert.Equal(second, await console.GetByteArrayAsync($"/console/catalog/plans/{plan}/sla"));

        // A customer downloads the SLA of a plan it subscribes to, and no other (as in the portal).
        var subscriber = await app.NewPostpaidAsync();
        await app.BillAsync(subscriber.OrganizationId);
        Assert.Equal(second, await (await app.ApiAsync(subscriber.OrganizationId, null)).GetByteArrayAsync($"/api/v1/plans/{plan}/sla"));
        var stranger = await app.NewCustomerAsync();
        await (await stranger.Api.GetAsync($"/api/v1/plans/{plan}/sla")).ProblemAsync(404);
        await (await operatorKey.GetAsync($"/api/v1/plans/{Guid.NewGuid()}/sla")).ProblemAsync(404);
    }

    [Fact]
    public async Task A_bad_sla_file_is_refused_with_a_field_error_and_nothing_is_written()
    {
        var operatorKey = await app.OperatorApiAsync();
        var plan = await app.DbAsync(db => db.Plans.Where(p => p.Code == "erp-standard").Select(p => new { p.Id, p.SlaDocumentId }).SingleAsync());
        var url = $"/api/v1/plans/{plan.Id}/sla?fileName=sla.pdf";
        var documents = await app.CountAsync<Document>();

        async Task RefusedAsync(HttpContent content, string message)
        {
            var problem = await (await operatorKey.PutAsync(url, content)).ProblemAsync(400);
            Assert.Equal(["sla"], problem.ErrorKeys());
            Assert.Equal(message, problem.GetProperty("errors").GetProperty("sla")[0].GetString());
        }
        await RefusedAsync(Body(Pdf("declared as text"), "text/plain"), "The SLA document must be a PDF file.");
        await RefusedAsync(Body(Encoding.ASCII.GetBytes("MZ this is no PDF"), "application/pdf"), "The file is not a PDF document.");
        await RefusedAsync(Body([], "application/pdf"), "The file is not a PDF document.");
        await RefusedAsync(new StringContent("{}", Encoding.UTF8, "application/json"), "The SLA document must be a PDF file.");
        var tooBig = new byte[(10 * 1024 * 1024) + 1];
        Pdf("big").CopyTo(tooBig, 0);
        await RefusedAsync(Body(tooBig, "application/pdf"), "The SLA document can be at most 10 MB.");

        var customer = await app.NewCustomerAsync();
        await (await customer.Api.PutAsync(url, Body(Pdf("customer"), "application/pdf"))).ProblemAsync(403);
        await (await (await app.PartnerApiAsync()).PutAsync(url, Body(Pdf("partner"), "application/pdf"))).ProblemAsync(403);
        await (await operatorKey.PutAsync($"/api/v1/plans/{Guid.NewGuid()}/sla", Body(Pdf("nowhere"), "application/pdf"))).ProblemAsync(404);

        Assert.Equal(documents, await app.CountAsync<Document>());
        Assert.Equal(plan.SlaDocumentId, await app.DbAsync(db => db.Plans.Where(p => p.Id == plan.Id).Select(p => p.SlaDocumentId).SingleAsync()));
    }

    [Fact]
    public async Task A_print_batch_sheet_is_the_consoles_pdf_with_every_code_and_marks_the_batch_exported()
    {
        var operatorKey = await app.OperatorApiAsync();
        var expires = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(60);
        var created = await operatorKey.PostAsJsonAsync("/api/v1/voucher-batches",
            new { name = Http.Unique("Sheet SMS"), kind = "Print", units = 100, meter = "sms", count = 3, expiresOn = expires });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.JsonAsync()).GetProperty("id").GetGuid();
        var codes = (await (await operatorKey.GetAsync($"/api/v1/voucher-batches/{id}")).JsonAsync()).GetProperty("codes").EnumerateArray()
            .Select(c => c.GetProperty("code").GetString()!).ToList();
        Assert.Equal(3, codes.Count);

        var sheet = await operatorKey.GetAsync($"/api/v1/voucher-batches/{id}/sheet.pdf");
        Assert.Equal(HttpStatusCode.OK, sheet.StatusCode);
        Assert.Equal("application/pdf", sheet.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"vouchers-{id:N}.pdf", sheet.Content.Headers.ContentDisposition?.FileName);
        using (var pdf = PdfDocument.Open(await sheet.Content.ReadAsByteArrayAsync()))
        {
            Assert.Equal(1, pdf.NumberOfPages);
            var words = pdf.GetPages().SelectMany(p => p.GetWords()).Select(w => w.Text).ToList();
            Assert.All(codes, code => Assert.Contains(code, words));
            var text = string.Join(" ", words);
            Assert.Contains("100 sms units", text, StringComparison.Ordinal);
            Assert.Contains($"Valid until {expires:yyyy-MM-dd}", text, StringComparison.Ordinal);
            Assert.Contains("Demo Telecom", text, StringComparison.Ordinal);
        }
        Assert.NotNull(await app.DbAsync(db => db.VoucherBatches.Where(b => b.Id == id).Select(b => b.ExportedAt).SingleAsync()));
        var exported = await app.DbAsync(db => db.AuditEntries.Where(a => a.Action == "VoucherBatch.Exported" && a.EntityId == id.ToString()).Select(a => a.After).ToListAsync());
        Assert.Contains("\"Format\":\"pdf\"", Assert.Single(exported), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Voucher_sheets_are_the_operators_and_print_batches_only()
    {
        var operatorKey = await app.OperatorApiAsync();
        var expires = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(60);
        async Task<Guid> BatchAsync(object body) => (await (await operatorKey.PostAsJsonAsync("/api/v1/voucher-batches", body)).JsonAsync()).GetProperty("id").GetGuid();
        var print = await BatchAsync(new { name = Http.Unique("Print"), kind = "Print", units = 50, meter = "sms", count = 2, expiresOn = expires });
        var online = await BatchAsync(new { name = Http.Unique("Online"), kind = "Online", amount = "10", currency = "EUR", price = "10", priceCurrency = "EUR", count = 2, expiresOn = expires });
        var customer = await app.NewCustomerAsync();
        var partnerKey = await app.PartnerApiAsync();
        var audit = await app.CountAsync<Accrue.Web.Data.AuditEntry>();

        await (await customer.Api.GetAsync($"/api/v1/voucher-batches/{print}/sheet.pdf")).ProblemAsync(403);
        await (await partnerKey.GetAsync($"/api/v1/voucher-batches/{print}/sheet.pdf")).ProblemAsync(403);
        await (await operatorKey.GetAsync($"/api/v1/voucher-batches/{online}/sheet.pdf")).ProblemAsync(409);
        await (await operatorKey.GetAsync($"/api/v1/voucher-batches/{Guid.NewGuid()}/sheet.pdf")).ProblemAsync(404);

        Assert.Equal(audit, await app.CountAsync<Accrue.Web.Data.AuditEntry>());
        Assert.Equal([null, null], await app.DbAsync(db => db.VoucherBatches.Where(b => b.Id == print || b.Id == online).Select(b => b.ExportedAt).ToListAsync()));
    }

    [Fact]
    public async Task The_wallet_csv_is_the_portals_export_with_its_filters()
    {
        var customer = await app.NewCustomerAsync();
        var operatorKey = await app.OperatorApiAsync();
        var adjustments = $"/api/v1/organizations/{customer.OrganizationId}/wallet/adjustments";
        Assert.Equal(HttpStatusCode.Created, (await operatorKey.PostAsJsonAsync(adjustments, new { direction = "Credit", amount = "25.5", reason = "=HYPERLINK(\"x\")" })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await operatorKey.PostAsJsonAsync(adjustments, new { direction = "Debit", amount = "5", reason = "Correction" })).StatusCode);
        var url = $"/api/v1/organizations/{customer.OrganizationId}/wallet/export.csv";

        var csv = await customer.Api.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        var bytes = await csv.Content.ReadAsByteArrayAsync();
        var lines = Encoding.UTF8.GetString(bytes).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("Date (UTC),Sequence,Kind,Direction,Description,Amount,Balance after,Currency,Reason,Order", lines[0]);
        Assert.Equal(3, lines.Length);
        Assert.Equal(["1", "Adjustment (credit)", "Credit"], lines[1].Split(',')[1..4]);
        Assert.Contains(",25.50,25.50,EUR,", lines[1], StringComparison.Ordinal);
        Assert.Equal(["2", "Adjustment (debit)", "Debit"], lines[2].Split(',')[1..4]);
        Assert.Contains("-5.00", lines[2], StringComparison.Ordinal);
        Assert.Contains(",20.50,EUR,Correction,", lines[2], StringComparison.Ordinal);
        // A reason typed by a person never runs as a spreadsheet formula.
        Assert.DoesNotContain(",=HYPERLINK", lines[1], StringComparison.Ordinal);

        // The same bytes as the export the pages offer, for the same filter.
        var staff = await app.SignedInAsync(ConsoleSteps.Operator);
        Assert.Equal(await staff.GetByteArrayAsync($"/console/organizations/{customer.OrganizationId}/wallet/export.csv"), bytes);
        var credits = await customer.Api.GetByteArrayAsync($"{url}?direction=Credit");
        Assert.Equal(await staff.GetByteArrayAsync($"/console/organizations/{customer.OrganizationId}/wallet/export.csv?Direction=Credit"), credits);
        Assert.Equal(2, Encoding.UTF8.GetString(credits).Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Single(Encoding.UTF8.GetString(await customer.Api.GetByteArrayAsync($"{url}?to=2020-01-01")).Split("\r\n", StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(2, Encoding.UTF8.GetString(await operatorKey.GetByteArrayAsync($"{url}?kind=AdjustmentDebit")).Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task Wallet_csv_of_another_organization_a_postpaid_one_or_a_reversed_range_is_refused()
    {
        var customer = await app.NewCustomerAsync();
        var url = $"/api/v1/organizations/{customer.OrganizationId}/wallet/export.csv";
        var entries = await app.CountAsync<WalletEntry>();

        var reversed = await (await customer.Api.GetAsync($"{url}?from=2027-02-01&to=2027-01-01")).ProblemAsync(400);
        Assert.Equal(["to"], reversed.ErrorKeys());
        await (await (await app.OrganizationApiAsync(ApiKeysForTests.Acme)).GetAsync(url)).ProblemAsync(404);
        await (await (await app.PartnerApiAsync()).GetAsync(url)).ProblemAsync(404);
        var postpaid = await app.NewPostpaidAsync();
        await (await (await app.ApiAsync(postpaid.OrganizationId, null)).GetAsync($"/api/v1/organizations/{postpaid.OrganizationId}/wallet/export.csv")).ProblemAsync(409);

        Assert.Equal(entries, await app.CountAsync<WalletEntry>());
    }
}

public sealed class ConsoleFilesApiTestsOnSqlite(SqliteApp app) : ConsoleFilesApiTests(app), IClassFixture<SqliteApp>;

public sealed class ConsoleFilesApiTestsOnPostgres(PostgresApp app) : ConsoleFilesApiTests(app), IClassFixture<PostgresApp>;
