using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Accrue.Web.Features.Api;
using Accrue.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static Accrue.Web.Tests.Api.CommerceApi;

namespace Accrue.Web.Tests.Api;

/// <summary>
/// Issue 6 §4 across the whole /api/v1 surface, read from the endpoint metadata so a new endpoint is
/// covered without editing this file: money-moving POSTs take an Idempotency-Key, every list is a
/// cursor page, and real answers (successes and errors) match the OpenAPI document.
/// </summary>
public abstract class ApiContractTests(AccrueApp app)
{
    [Fact]
    public void Every_money_moving_post_takes_an_idempotency_key()
    {
        var posts = app.Routes().Where(r => r.Method == "POST").ToList();
        var money = posts.Where(r => r.MovesMoney).ToList();

        // The rule finds money by response type; these must be among what it finds, or the rule has gone blind.
        Assert.Superset(new HashSet<string>(["PayOrder", "CancelOrder", "TopUpWallet", "AdjustWallet", "WithdrawWallet", "PayBills", "RedeemVoucher",
            "BuyVouchers", "BuyUnitPacks", "CreateCreditNote", "AddSeats", "Subscribe", "Renew", "AddAddOn", "ChangePlan", "RenewUnits"]),
            money.Select(r => r.Name ?? r.Pattern).ToHashSet());
        var missing = money.Where(r => !r.IsIdempotent).Select(r => $"{r.Method} {r.Pattern} ({r.Name})").ToList();
        Assert.True(missing.Count == 0, "Money-moving POSTs without .Idempotent(): " + string.Join(", ", missing));
        Assert.DoesNotContain(posts, r => r.IsIdempotent && r.Method != "POST");
    }

    [Fact]
    public void Every_list_answers_with_a_cursor_page()
    {
        var lists = app.Routes().Where(r => r.IsList).ToList();

        Assert.True(lists.Count >= 20, $"only {lists.Count} list routes found");
        var unpaged = lists.Where(r => !r.SuccessTypes.Any(ApiRoute.IsPage)).Select(r => $"GET {r.Pattern}").ToList();
        Assert.True(unpaged.Count == 0, "Lists not answering with Page<T>: " + string.Join(", ", unpaged));
    }

    [Fact]
    public async Task Walking_every_list_page_by_page_returns_each_row_once_and_bad_paging_is_refused()
    {
        var api = await app.OperatorApiAsync();
        var values = await ParameterValuesAsync();
        var walked = 0;
        foreach (var route in app.Routes().Where(r => r.IsList))
        {
            var url = route.Url(name => ValueOf(route, name, values));
            var all = await (await api.GetAsync($"{url}?limit={Paging.MaxLimit}")).JsonAsync();
            Assert.True(all.TryGetProperty("nextCursor", out _), $"{url} answers without nextCursor");
            var everything = all.GetProperty("items").EnumerateArray().Select(i => i.GetRawText()).ToList();

            var pages = new List<string>();
            string? cursor = null;
            var requests = 0;
            do
            {
                var page = await (await api.GetAsync($"{url}?limit=2" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}"))).JsonAsync();
                var items = page.GetProperty("items").EnumerateArray().Select(i => i.GetRawText()).ToList();
                Assert.True(items.Count <= 2, $"{url} handed out {items.Count} rows for limit=2");
                cursor = page.GetProperty("nextCursor").GetString();
                Assert.True(cursor is null || items.Count == 2, $"{url}: a short page must be the last");
                pages.AddRange(items);
                Assert.True(++requests <= 200, $"{url} never reaches its last page");
            }
            while (cursor is not null);

            if (all.GetProperty("nextCursor").ValueKind == JsonValueKind.Null) Assert.Equal(everything, pages);
            else Assert.Equal(everything, pages.Take(everything.Count));
            Assert.Equal(pages.Count, pages.Distinct().Count());
            if (everything.Count > 2) walked++;

            var badLimit = await (await api.GetAsync($"{url}?limit=0")).ProblemAsync(400);
            Assert.Contains("limit", badLimit.ErrorKeys());
            var badCursor = await (await api.GetAsync($"{url}?cursor=not-a-cursor")).ProblemAsync(400);
            Assert.Contains("cursor", badCursor.ErrorKeys());
        }
        Assert.True(walked >= 8, $"only {walked} lists had more than one page of demo rows to walk");
    }

    [Fact]
    public async Task Real_answers_successes_and_errors_match_the_openapi_document()
    {
        var conformance = new OpenApiConformance(await (await app.ApiClient(null).GetAsync("/openapi/v1.json")).JsonAsync());
        var operatorApi = await app.OperatorApiAsync();
        var acmeApi = await app.OrganizationApiAsync();
        var routes = app.Routes();
        var values = await ParameterValuesAsync();
        var errors = new List<string>();
        var checkedCalls = 0;
        var statuses = new HashSet<int>();

        async Task<HttpResponseMessage> CallAsync(HttpClient client, ApiRoute route, string url, object? body = null, string? idempotencyKey = null)
        {
            using var request = new HttpRequestMessage(new HttpMethod(route.Method), url);
            if (body is not null) request.Content = JsonContent.Create(body);
            else if (route.Method is "POST" or "PUT") request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
            if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
            var response = await client.SendAsync(request);
            var mediaType = response.Content.Headers.ContentType?.MediaType;
            var bytes = await response.Content.ReadAsByteArrayAsync();
            var json = mediaType?.Contains("json", StringComparison.Ordinal) == true && bytes.Length > 0 ? Encoding.UTF8.GetString(bytes) : null;
            errors.AddRange(conformance.Check(route.Method, route.DocumentPath, (int)response.StatusCode, mediaType, json, bytes.Length > 0).Select(e => $"{e} [{url}]"));
            checkedCalls++;
            statuses.Add((int)response.StatusCode);
            return response;
        }
        ApiRoute Route(string method, string name) => routes.Single(r => r.Method == method && r.Name == name);

        // Every operation with ids that don't exist and an empty body: the errors each one can give.
        foreach (var route in routes)
            await CallAsync(operatorApi, route, route.Url(name => name switch { "country" => "ZZ", _ => Guid.NewGuid().ToString() }));
        // Every read with real ids, as the operator and as a customer's key (which sees 403/404 where it may not look):
        // lists first, then each detail with the first id its list handed out (/orders/{id} takes one from …/orders).
        var firstIds = new Dictionary<string, string>();
        foreach (var route in routes.Where(r => r.IsList))
        {
            var page = await (await CallAsync(operatorApi, route, route.Url(name => ValueOf(route, name, values)))).JsonAsync();
            if (page.GetProperty("items").EnumerateArray().FirstOrDefault() is { ValueKind: JsonValueKind.Object } first && first.TryGetProperty("id", out var id))
                firstIds.TryAdd(route.Pattern.TrimEnd('/').Split('/')[^1], id.ToString());
            await CallAsync(acmeApi, route, route.Url(name => ValueOf(route, name, values)));
        }
        foreach (var route in routes.Where(r => r.Method == "GET" && !r.IsList))
        {
            var segments = route.Pattern.Split('/');
            var idAt = Array.FindIndex(segments, s => s.StartsWith("{id", StringComparison.Ordinal));
            var real = idAt > 0 ? firstIds.GetValueOrDefault(segments[idAt - 1]) : null;
            var url = route.Url(name => name == "id" && real is not null ? real : values[name]);
            await CallAsync(operatorApi, route, url);
            await CallAsync(acmeApi, route, url);
        }
        await CallAsync(app.ApiClient(null), Route("GET", "ListOrganizations"), "/api/v1/organizations");
        await CallAsync(operatorApi, Route("GET", "ListOrders"), $"/api/v1/organizations/{values["orgId"]}/orders?limit=-1");

        // A purchase end to end: quote, order, a declined and a paid attempt, a replay and a reused key, a top-up.
        var customer = await app.NewCustomerAsync();
        var erp = await app.SeedErpAsync(customer, ("finance", 2));
        var seats = new { seats = new[] { new { seatTypeId = erp.SeatTypes["finance"], count = 1 } }, acknowledged = true };
        var org = customer.OrganizationId;
        await CallAsync(customer.Api, routes.Single(r => r.Method == "POST" && r.Pattern.EndsWith("/{id:guid}/seats/quote", StringComparison.Ordinal)),
            $"/api/v1/organizations/{org}/subscriptions/{erp.Id}/seats/quote", seats);
        var placed = await CallAsync(customer.Api, Route("POST", "AddSeats"), $"/api/v1/organizations/{org}/subscriptions/{erp.Id}/seats", seats);
        var orderId = (await placed.JsonAsync()).GetProperty("order").GetProperty("id").GetGuid();
        await CallAsync(customer.Api, Route("POST", "PayOrder"), $"/api/v1/orders/{orderId}/pay", Card(GoodCard), "contract-paid");
        await CallAsync(customer.Api, Route("POST", "PayOrder"), $"/api/v1/orders/{orderId}/pay", Card(GoodCard), "contract-paid");
        await CallAsync(customer.Api, Route("POST", "PayOrder"), $"/api/v1/orders/{orderId}/pay", Card(DeclinedCard), "contract-paid");
        await CallAsync(customer.Api, Route("POST", "PayOrder"), $"/api/v1/orders/{orderId}/pay", Card(GoodCard));
        await CallAsync(customer.Api, Route("GET", "GetOrder"), $"/api/v1/orders/{orderId}");
        var declined = (await (await CallAsync(customer.Api, Route("POST", "AddSeats"), $"/api/v1/organizations/{org}/subscriptions/{erp.Id}/seats", seats)).JsonAsync()).GetProperty("order").GetProperty("id");
        await CallAsync(customer.Api, Route("POST", "PayOrder"), $"/api/v1/orders/{declined}/pay", Card(DeclinedCard), "contract-declined");
        await CallAsync(customer.Api, Route("DELETE", "DeleteOrder"), $"/api/v1/orders/{declined}");
        await CallAsync(customer.Api, Route("POST", "TopUpWallet"), $"/api/v1/organizations/{org}/wallet/top-ups",
            new { amount = "25", card = new { number = DeclinedCard, expiryMonth = 12, expiryYear = DateTime.UtcNow.Year + 2, cvc = "123", holder = "Test Buyer" }, acknowledged = true });
        await CallAsync(customer.Api, Route("POST", "TopUpWallet"), $"/api/v1/organizations/{org}/wallet/top-ups",
            new { amount = "25", card = new { number = GoodCard, expiryMonth = 12, expiryYear = DateTime.UtcNow.Year + 2, cvc = "123", holder = "Test Buyer" }, acknowledged = true });
        await CallAsync(customer.Api, Route("GET", "GetWallet"), $"/api/v1/organizations/{org}/wallet");
        await CallAsync(customer.Api, Route("GET", "ListWalletEntries"), $"/api/v1/organizations/{org}/wallet/entries");
        var invoice = await app.DbAsync(db => db.Invoices.IgnoreQueryFilters().Where(i => i.OrderId == orderId).Select(i => i.Id).SingleAsync());
        await CallAsync(customer.Api, Route("GET", "GetInvoice"), $"/api/v1/invoices/{invoice}");
        await CallAsync(customer.Api, Route("GET", "GetInvoicePdf"), $"/api/v1/invoices/{invoice}/pdf");
        await CallAsync(customer.Api, Route("POST", "CreateCreditNote"), $"/api/v1/invoices/{invoice}/credit-notes", new { lines = new[] { 1 }, reason = "Goodwill" });
        await CallAsync(operatorApi, Route("POST", "CreateCreditNote"), $"/api/v1/invoices/{invoice}/credit-notes", new { lines = new[] { 1 }, reason = "Goodwill" });
        await CallAsync(operatorApi, Route("POST", "AdjustWallet"), $"/api/v1/organizations/{org}/wallet/adjustments", new { direction = "Credit", amount = "5", reason = "Contract test" });
        await CallAsync(operatorApi, Route("POST", "CreateOrganization"), "/api/v1/organizations", ApiKeysForTests.NewOrganization());

        Assert.True(errors.Count == 0, $"{errors.Count} answers differ from the OpenAPI document:\n" + string.Join("\n", errors.Distinct().Take(80)));
        var expected = new HashSet<int> { 200, 201, 204, 400, 401, 403, 404, 409, 422 };
        Assert.True(expected.IsSubsetOf(statuses), $"answers seen: {string.Join(", ", statuses.Order())}");
        Assert.True(checkedCalls > routes.Count + 2 * routes.Count(r => r.Method == "GET"), $"only {checkedCalls} calls for {routes.Count} operations");
    }

    /// <summary>Real ids for route parameters: the Acme demo organization and the first row of each of its lists.</summary>
    /// <summary>The value for a route parameter; a webhook endpoint's <c>{id}</c> is an endpoint of the right owner, not the invoice the other lists take.</summary>
    private static string ValueOf(ApiRoute route, string name, Dictionary<string, string> values) =>
        name == "id" && route.Pattern.Contains("/webhooks/", StringComparison.Ordinal)
            ? values[route.Pattern.Contains("{orgId", StringComparison.Ordinal) ? "webhookId" : "operatorWebhookId"]
            : values[name];

    private async Task<Dictionary<string, string>> ParameterValuesAsync()
    {
        var acme = await app.OrganizationIdAsync(ApiKeysForTests.Acme);
        var (webhook, operatorWebhook) = await app.DbAsync(async db =>
        {
            var operatorId = await db.Operators.Select(o => o.Id).FirstAsync();
            Data.WebhookEndpoint Endpoint(Guid? organizationId) => new()
            {
                OperatorId = operatorId, OrganizationId = organizationId, Url = "http://127.0.0.1:9/hooks", Secret = "whsec_contract", EventTypes = ["member.added"],
            };
            var (own, operators) = (Endpoint(acme), Endpoint(null));
            db.WebhookEndpoints.AddRange(own, operators);
            await db.SaveChangesAsync();
            return (own.Id, operators.Id);
        });
        return await app.DbAsync(async db => new Dictionary<string, string>
        {
            ["orgId"] = acme.ToString(),
            ["webhookId"] = webhook.ToString(),
            ["operatorWebhookId"] = operatorWebhook.ToString(),
            // The one list under an {id}: an invoice's timeline.
            ["id"] = (await db.Invoices.IgnoreQueryFilters().OrderBy(i => i.OrganizationId != acme).ThenBy(i => i.Id).Select(i => (Guid?)i.Id).FirstOrDefaultAsync() ?? Guid.NewGuid()).ToString(),
            ["memberId"] = (await db.Members.IgnoreQueryFilters().Where(m => m.OrganizationId == acme).OrderBy(m => m.Id).Select(m => m.Id).FirstAsync()).ToString(),
            ["attachmentId"] = Guid.NewGuid().ToString(),
            ["country"] = "DE",
        });
    }
}

public sealed class ApiContractTestsOnSqlite(SqliteApp app) : ApiContractTests(app), IClassFixture<SqliteApp>;

public sealed class ApiContractTestsOnPostgres(PostgresApp app) : ApiContractTests(app), IClassFixture<PostgresApp>;
