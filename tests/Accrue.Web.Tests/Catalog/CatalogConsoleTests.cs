using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Accrue.Domain.Billing;
using Accrue.Domain.Catalog;
using Accrue.Web.Features.Catalog;
using Accrue.Web.Tests.Console;
using Accrue.Web.Tests.Infrastructure;
using AngleSharp.Html.Dom;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Tests.Catalog;

public abstract class CatalogConsoleTests(AccrueApp app)
{
    private static readonly byte[] Pdf = Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");

    private Task<Plan> PlanAsync(string code) =>
        app.DbAsync(db => db.Plans.Include(p => p.SeatTypes).SingleAsync(p => p.Code == code));

    private static string? ErrorFor(IHtmlDocument page, string field) =>
        page.QuerySelector($"[data-valmsg-for='{field}']")?.TextContent.Trim();

    private static async Task<IHtmlDocument> PageOfAsync(HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"Expected {(int)expected} but got {(int)response.StatusCode}: {body[..Math.Min(body.Length, 1500)]}");
        return Http.Parse(body);
    }

    [Fact]
    public async Task Operator_creates_a_product_a_plan_its_seat_types_and_prices_through_the_forms()
    {
        var staff = await app.SignedInAsync(ConsoleSteps.Operator);
        var productCode = Http.Unique("crm");
        var response = await staff.SubmitFormAsync("/console/catalog/products/new", new Dictionary<string, string>
        {
            ["Input.Code"] = productCode, ["Input.Name"] = "CRM Cloud", ["Input.Kind"] = "Service", ["Input.Description"] = "Customers and deals.",
        });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var product = await app.DbAsync(db => db.Products.SingleAsync(p => p.Code == productCode));
        Assert.Equal(("CRM Cloud", ProductKind.Service, true), (product.Name, product.Kind, product.Active));
        Assert.Equal($"/console/catalog/products/{product.Id}", response.Headers.Location?.OriginalString);

        var premium = await PlanAsync("erp-premium");
        var planCode = Http.Unique("crm-team");
        response = await staff.SubmitFormAsync("/console/catalog/plans/new", new Dictionary<string, string>
        {
            ["Input.ProductId"] = product.Id.ToString(), ["Input.Code"] = planCode, ["Input.Name"] = "CRM Team",
            ["Input.Period"] = "Month", ["Input.Model"] = "PerSeat", ["Input.TrialDays"] = "30", ["Input.CancellationRule"] = "Immediately",
            ["Input.MinimumTermMonths"] = "3", ["Input.MaxQuantity"] = "50", ["Input.ChangeTargetIds"] = premium.Id.ToString(),
        }, "#plan-form");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var plan = await PlanAsync(planCode);
        Assert.Equal((product.Id, PricingModel.PerSeat, 30, CancellationRule.Immediately, 3, 50), (plan.ProductId, plan.Model, plan.TrialDays, plan.CancellationRule, plan.MinimumTermMonths, plan.MaxQuantity));
        Assert.Equal([premium.Id], plan.ChangeTargetIds);
        Assert.Null(plan.CurrentVersionId);
        var url = $"/console/catalog/plans/{plan.Id}";

        response = await staff.SubmitFormAsync(url, new Dictionary<string, string>
        {
            ["Seats[0].Code"] = "sales", ["Seats[0].Name"] = "Sales", ["Seats[0].Modules"] = "Leads\nDeals", ["Seats[0].SortOrder"] = "0",
            ["Seats[1].Code"] = "support", ["Seats[1].Name"] = "Support", ["Seats[1].Modules"] = "Tickets, Knowledge base", ["Seats[1].SortOrder"] = "1",
        }, "#seat-types-form");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        plan = await PlanAsync(planCode);
        Assert.Equal(["sales", "support"], plan.SeatTypes.OrderBy(s => s.SortOrder).Select(s => s.Code));
        Assert.Equal(["Tickets", "Knowledge base"], plan.SeatTypes.Single(s => s.Code == "support").Modules);

        response = await staff.SubmitFormAsync(url, new Dictionary<string, string>
        {
            ["Prices[0].Currency"] = "EUR", ["Prices[0].Amount"] = "10", ["Prices[0].SeatPrices[sales]"] = "12.50", ["Prices[0].SeatPrices[support]"] = "9",
        }, "#prices-form");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        plan = await PlanAsync(planCode);
        var version = await app.DbAsync(db => db.PlanVersions.SingleAsync(v => v.PlanId == plan.Id));
        Assert.Equal(version.Id, plan.CurrentVersionId);
        Assert.Equal(1, version.Number);
        var eur = Assert.Single(version.Prices);
        Assert.Equal(("EUR", 10m), (eur.Currency, eur.Amount));
        Assert.Equal(12.50m, eur.SeatPrice(plan.SeatTypes.Single(s => s.Code == "sales").Id));
        Assert.Equal(9m, eur.SeatPrice(plan.SeatTypes.Single(s => s.Code == "support").Id));

        var audited = await app.DbAsync(db => db.AuditEntries.Where(a => a.EntityId == plan.Id.ToString()).Select(a => a.Action).ToListAsync());
        Assert.Contains("Plan.Created", audited);
        var list = await staff.GetPageAsync("/console/catalog");
        Assert.Contains("CRM Team", list.QuerySelector("#plans")?.TextContent);
        Assert.Contains("CRM Cloud", list.QuerySelector("#products")?.TextContent);
    }

    [Fact]
    public async Task Changing_prices_creates_version_2_while_Acme_keeps_version_1()
    {
        var staff = await app.SignedInAsync(ConsoleSteps.Operator);
        var plan = await PlanAsync("erp-standard");
        var v1 = plan.CurrentVersionId!.Value;
        var acme = await app.OrganizationIdAsync("Acme Prepaid Ltd");
        var full = plan.SeatTypes.Single(s => s.Code == "full");

        var page = await staff.GetPageAsync($"/console/catalog/plans/{plan.Id}");
        Assert.Equal("USD", page.QuerySelector("input[name='Prices[0].Currency']")?.GetAttribute("value"));
        var response = await staff.SubmitFormAsync($"/console/catalog/plans/{plan.Id}", new Dictionary<string, string>
        {
            ["Prices[0].Amount"] = "22", ["Prices[0].SeatPrices[full]"] = "33",
        }, "#prices-form");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var versions = await app.DbAsync(db => db.PlanVersions.Where(v => v.PlanId == plan.Id).OrderBy(v => v.Number).ToListAsync());
        Assert.Equal([1, 2], versions.Select(v => v.Number));
        Assert.Equal(versions[1].Id, (await PlanAsync("erp-standard")).CurrentVersionId);
        Assert.Equal((20m, 30m), (versions[0].PriceIn("USD")!.Amount, versions[0].PriceIn("USD")!.SeatPrice(full.Id)));
        Assert.Equal((22m, 33m), (versions[1].PriceIn("USD")!.Amount, versions[1].PriceIn("USD")!.SeatPrice(full.Id)));
        // The other currencies and seat prices were carried over from the prefilled form.
        Assert.Equal(versions[0].PriceIn("EUR")!.Amount, versions[1].PriceIn("EUR")!.Amount);
        Assert.Equal(versions[0].PriceIn("EUR")!.SeatPrices, versions[1].PriceIn("EUR")!.SeatPrices);
        var subscription = await app.DbAsync(db => db.Subscriptions.IgnoreQueryFilters().SingleAsync(s => s.OrganizationId == acme && s.PlanId == plan.Id));
        Assert.Equal(v1, subscription.PlanVersionId);

        var history = await staff.GetPageAsync($"/console/catalog/plans/{plan.Id}");
        var rows = history.QuerySelectorAll("#versions tbody tr").Select(r => r.TextContent).ToList();
        Assert.Equal(2, rows.Count);
        Assert.Contains("Current", rows[0], StringComparison.Ordinal);
        Assert.StartsWith("v2", rows[0].Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_prices_show_errors_beside_the_fields_and_write_no_version()
    {
        var staff = await app.SignedInAsync(ConsoleSteps.Operator);
        var plan = await PlanAsync("reporting-monthly");
        var versions = await app.CountAsync<PlanVersion>();

        var response = await staff.SubmitFormAsync($"/console/catalog/plans/{plan.Id}", new Dictionary<string, string>
        {
            ["Prices[0].Amount"] = "-5", ["Prices[3].Currency"] = "XYZ", ["Prices[3].Amount"] = "4",
        }, "#prices-form");

        var page = await PageOfAsync(response);
        Assert.Equal("The price can't be negative.", ErrorFor(page, "Prices[0].Amount"));
        Assert.Equal("“XYZ” isn't a currency we know. Choose one from the list (three-letter ISO code, e.g. EUR).", ErrorFor(page, "Prices[3].Currency"));
        Assert.Equal("-5", page.QuerySelector("input[name='Prices[0].Amount']")?.GetAttribute("value"));
        Assert.Equal(versions, await app.CountAsync<PlanVersion>());
    }

    [Fact]
    public async Task A_unit_pack_without_a_meter_and_a_duplicate_code_are_refused_and_nothing_is_written()
    {
        var staff = await app.SignedInAsync(ConsoleSteps.Operator);
        var products = await app.CountAsync<Product>();

        var response = await staff.SubmitFormAsync("/console/catalog/products/new", new Dictionary<string, string>
        {
            ["Input.Code"] = Http.Unique("pack"), ["Input.Name"] = "Fax pages", ["Input.Kind"] = "UnitPack", ["Input.Meter"] = "", ["Input.UnitsPerPack"] = "0",
        });
        var page = await PageOfAsync(response);
        Assert.Equal("Meter is required.", ErrorFor(page, "Input.Meter"));
        Assert.Equal("A unit pack holds at least one unit.", ErrorFor(page, "Input.UnitsPerPack"));

        response = await staff.SubmitFormAsync("/console/catalog/products/new", new Dictionary<string, string>
        {
            ["Input.Code"] = "erp", ["Input.Name"] = "Another ERP", ["Input.Kind"] = "Service",
        });
        page = await PageOfAsync(response);
        Assert.Equal("A product with the code 'erp' already exists.", ErrorFor(page, "Input.Code"));

        var plans = await app.CountAsync<Plan>();
        var erp = await app.DbAsync(db => db.Products.SingleAsync(p => p.Code == "erp"));
        response = await staff.SubmitFormAsync("/console/catalog/plans/new", new Dictionary<string, string>
        {
            ["Input.ProductId"] = erp.Id.ToString(), ["Input.Code"] = "erp-standard", ["Input.Name"] = "Copy", ["Input.Model"] = "Flat",
        }, "#plan-form");
        page = await PageOfAsync(response);
        Assert.Equal("A plan with the code 'erp-standard' already exists.", ErrorFor(page, "Input.Code"));

        Assert.Equal(products, await app.CountAsync<Product>());
        Assert.Equal(plans, await app.CountAsync<Plan>());
    }

    [Fact]
    public async Task Tax_rates_are_added_edited_and_bad_ones_refused()
    {
        var staff = await app.SignedInAsync(ConsoleSteps.Operator);
        var rates = await app.CountAsync<TaxRate>();

        var response = await staff.SubmitFormAsync("/console/tax-rates", new Dictionary<string, string>
        {
            ["Input.Country"] = "FR", ["Input.Name"] = "TVA", ["Input.RatePercent"] = "150",
        });
        var page = await PageOfAsync(response);
        Assert.Equal("The rate must be between 0 and 100 %.", ErrorFor(page, "Input.RatePercent"));

        response = await staff.SubmitFormAsync("/console/tax-rates", new Dictionary<string, string>
        {
            ["Input.Country"] = "QQ", ["Input.Name"] = "VAT", ["Input.RatePercent"] = "10",
        });
        page = await PageOfAsync(response);
        Assert.Equal("“QQ” isn't a country we know. Choose one from the list (two-letter ISO code, e.g. DE).", ErrorFor(page, "Input.Country"));

        response = await staff.SubmitFormAsync("/console/tax-rates", new Dictionary<string, string>
        {
            ["Input.Country"] = "DE", ["Input.Name"] = "VAT", ["Input.RatePercent"] = "7",
        });
        page = await PageOfAsync(response);
        Assert.Equal("Germany already has a tax rate; edit it instead.", ErrorFor(page, "Input.Country"));
        Assert.Equal(rates, await app.CountAsync<TaxRate>());

        response = await staff.SubmitFormAsync("/console/tax-rates", new Dictionary<string, string>
        {
            ["Input.Country"] = "IE", ["Input.Name"] = "VAT", ["Input.RatePercent"] = "23",
        });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var ireland = await app.DbAsync(db => db.TaxRates.SingleAsync(t => t.Country == "IE"));
        Assert.Equal(0.23m, ireland.Rate);

        response = await staff.SubmitFormAsync($"/console/tax-rates?edit={ireland.Id}", new Dictionary<string, string> { ["Input.RatePercent"] = "13.5" }, "#tax-rate-form");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(0.135m, await app.DbAsync(db => db.TaxRates.Where(t => t.Id == ireland.Id).Select(t => t.Rate).SingleAsync()));

        var tax = await app.DbAsync(async db => (await db.TaxForAsync(await db.Operators.Select(o => o.Id).SingleAsync(), "IE", default), await db.TaxForAsync(await db.Operators.Select(o => o.Id).SingleAsync(), "US", default)));
        Assert.Equal(0.135m, tax.Item1.Rate);
        Assert.Null(tax.Item1.Note);
        Assert.Equal((0m, "No tax rate is set for United States: taxed at 0 %."), tax.Item2);

        response = await staff.PostFormAsync($"/console/tax-rates?handler=delete&id={ireland.Id}", new Dictionary<string, string>(), "/console/tax-rates");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(rates, await app.CountAsync<TaxRate>());
    }

    [Fact]
    public async Task Partner_staff_see_the_catalog_but_get_403_when_they_change_it()
    {
        var partner = await app.SignedInAsync(ConsoleSteps.PartnerStaff);
        var list = await partner.GetPageAsync("/console/catalog");
        Assert.Contains("ERP Standard", list.QuerySelector("#plans")?.TextContent);
        Assert.Null(list.QuerySelector("a[href='/console/catalog/products/new']"));
        var products = await app.CountAsync<Product>();
        var rates = await app.CountAsync<TaxRate>();
        var versions = await app.CountAsync<PlanVersion>();
        var plan = await PlanAsync("reporting-monthly");

        var response = await partner.PostFormAsync("/console/catalog/products/new", new Dictionary<string, string>
        {
            ["Input.Code"] = Http.Unique("sneaky"), ["Input.Name"] = "Sneaky", ["Input.Kind"] = "Service",
        }, "/console/catalog");
        var page = await PageOfAsync(response, HttpStatusCode.Forbidden);
        Assert.Contains("Only the operator's staff change the catalog.", page.Errors());
        response = await partner.PostFormAsync($"/console/catalog/plans/{plan.Id}?handler=prices", new Dictionary<string, string>
        {
            ["Prices[0].Currency"] = "USD", ["Prices[0].Amount"] = "1",
        }, "/console/catalog");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        response = await partner.PostFormAsync("/console/tax-rates", new Dictionary<string, string>
        {
            ["Input.Country"] = "FR", ["Input.Name"] = "TVA", ["Input.RatePercent"] = "20",
        }, "/console/catalog");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);

        Assert.Equal(products, await app.CountAsync<Product>());
        Assert.Equal(rates, await app.CountAsync<TaxRate>());
        Assert.Equal(versions, await app.CountAsync<PlanVersion>());

        var member = await app.SignedInAsync("owner@acme.test");
        var denied = await member.GetAsync("/console/catalog");
        Assert.True(denied.StatusCode is HttpStatusCode.Forbidden || denied.Headers.Location?.OriginalString.Contains("/account/denied", StringComparison.Ordinal) == true);
    }

    private async Task<HttpResponseMessage> UploadSlaAsync(HttpClient staff, Guid planId, byte[] content, string contentType, string fileName)
    {
        var page = await staff.GetPageAsync($"/console/catalog/plans/{planId}");
        var token = page.QuerySelector("#sla-form input[name=__RequestVerificationToken]")?.GetAttribute("value")
            ?? page.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        using var form = new MultipartFormDataContent { { new StringContent(token), "__RequestVerificationToken" } };
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        form.Add(file, "sla", fileName);
        return await staff.PostAsync($"/console/catalog/plans/{planId}?handler=sla", form);
    }

    [Fact]
    public async Task Only_a_real_pdf_is_taken_as_SLA_and_members_of_subscribed_organizations_download_it()
    {
        var staff = await app.SignedInAsync(ConsoleSteps.Operator);
        var plan = await PlanAsync("erp-standard");
        var documents = await app.CountAsync<Document>();

        var response = await UploadSlaAsync(staff, plan.Id, Encoding.ASCII.GetBytes("just text"), "application/pdf", "sla.pdf");
        var page = await PageOfAsync(response);
        Assert.Equal("The file is not a PDF document.", ErrorFor(page, "Sla"));
        response = await UploadSlaAsync(staff, plan.Id, Pdf, "text/plain", "sla.txt");
        page = await PageOfAsync(response);
        Assert.Equal("The SLA document must be a PDF file.", ErrorFor(page, "Sla"));
        Assert.Equal(documents, await app.CountAsync<Document>());
        Assert.Null((await PlanAsync("erp-standard")).SlaDocumentId);

        response = await UploadSlaAsync(staff, plan.Id, Pdf, "application/pdf", "ERP SLA.pdf");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var documentId = (await PlanAsync("erp-standard")).SlaDocumentId;
        Assert.NotNull(documentId);
        Assert.Equal("ERP SLA.pdf", await app.DbAsync(db => db.Documents.Where(d => d.Id == documentId).Select(d => d.FileName).SingleAsync()));

        var owner = await app.SignedInAsync("owner@acme.test");
        var download = await owner.GetAsync($"/portal/sla/{plan.Id}");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("application/pdf", download.Content.Headers.ContentType?.MediaType);
        Assert.Equal(Pdf, await download.Content.ReadAsByteArrayAsync());

        var consoleDownload = await staff.GetAsync($"/console/catalog/plans/{plan.Id}/sla");
        Assert.Equal(Pdf, await consoleDownload.Content.ReadAsByteArrayAsync());

        var stranger = await app.SignedInAsync("owner@globex.test");
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/portal/sla/{plan.Id}")).StatusCode);
        // Acme subscribes to ERP Standard, not to Premium, which has no document either way.
        var premium = await PlanAsync("erp-premium");
        Assert.Equal(HttpStatusCode.NotFound, (await owner.GetAsync($"/portal/sla/{premium.Id}")).StatusCode);
    }
}

public sealed class CatalogConsoleOnSqlite(SqliteApp app) : CatalogConsoleTests(app), IClassFixture<SqliteApp>;

public sealed class CatalogConsoleOnPostgres(PostgresApp app) : CatalogConsoleTests(app), IClassFixture<PostgresApp>;
