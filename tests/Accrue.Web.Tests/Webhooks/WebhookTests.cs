using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Accrue.Web.Data;
using Accrue.Web.Features.Webhooks;
using Accrue.Web.Infrastructure.Net;
using Accrue.Web.Tests.Api;
using Accrue.Web.Tests.Infrastructure;
using Accrue.Web.Tests.Orders;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Accrue.Web.Tests.Webhooks;

/// <summary>Issue 6 §3: signed deliveries to a real receiver, back-off on a movable clock, give-up, replay, tenancy, validation.</summary>
public abstract class WebhookTests(AccrueApp app, MovableClock clock)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_member_added_event_is_delivered_signed_and_only_to_endpoints_subscribed_to_it()
    {
        await using var receiver = await Receiver.StartAsync();
        await using var other = await Receiver.StartAsync();
        var (orgId, _) = await app.CreateOrganizationAsync();
        var api = await app.ApiAsync(orgId, null);
        var endpoint = await CreateAsync(api, orgId, receiver.Url, [WebhookEvents.MemberAdded]);
        var notSubscribed = await CreateAsync(api, orgId, other.Url, [WebhookEvents.InvoiceIssued, WebhookEvents.MemberRemoved]);

        var email = $"{Http.Unique("hooked")}@example.test";
        var added = await api.PostAsJsonAsync($"/api/v1/organizations/{orgId}/members", new { name = "Hook Person", email, role = "Member", portalAccess = false });
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        var memberId = (await added.JsonAsync()).GetProperty("id").GetGuid();

        var delivery = await WaitForAsync(endpoint.Id, d => d.Status == WebhookDeliveryStatus.Succeeded);
        Assert.Equal(1, delivery.Attempts);
        Assert.Equal(200, delivery.LastStatusCode);
        var request = Assert.Single(receiver.Requests);
        var timestamp = request.Headers["Accrue-Webhook-Timestamp"];
        var expected = "v1=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(endpoint.Secret), Encoding.UTF8.GetBytes($"{timestamp}.{request.Body}")));
        Assert.Equal(expected, request.Headers["Accrue-Webhook-Signature"]);
        Assert.StartsWith("whsec_", endpoint.Secret, StringComparison.Ordinal);
        Assert.InRange(long.Parse(timestamp, System.Globalization.CultureInfo.InvariantCulture), clock.GetUtcNow().AddMinutes(-2).ToUnixTimeSeconds(), clock.GetUtcNow().AddMinutes(1).ToUnixTimeSeconds());
        var payload = JsonDocument.Parse(request.Body).RootElement;
        Assert.Equal(delivery.EventId.ToString(), request.Headers["Accrue-Webhook-Id"]);
        Assert.Equal(delivery.EventId, payload.GetProperty("id").GetGuid());
        Assert.Equal("member.added", payload.GetProperty("type").GetString());
        Assert.Equal(orgId, payload.GetProperty("organizationId").GetGuid());
        Assert.True(payload.TryGetProperty("created", out _));
        Assert.Equal(memberId, payload.GetProperty("data").GetProperty("id").GetGuid());
        Assert.Equal(email, payload.GetProperty("data").GetProperty("email").GetString());
        Assert.Equal(1, await app.DbAsync(db => db.WebhookAttempts.CountAsync(a => a.DeliveryId == delivery.Id && a.StatusCode == 200)));

        // Event-type filtering: the other endpoint of the same organization gets nothing.
        Assert.Equal(0, await app.DbAsync(db => db.WebhookDeliveries.CountAsync(d => d.EndpointId == notSubscribed.Id)));
        Assert.Empty(other.Requests);

        // The delivery log in the API.
        var log = await (await api.GetAsync($"/api/v1/organizations/{orgId}/webhooks/{endpoint.Id}/deliveries")).JsonAsync();
        var item = Assert.Single(log.GetProperty("items").EnumerateArray());
        Assert.Equal("Succeeded", item.GetProperty("status").GetString());
        Assert.Equal(200, Assert.Single(item.GetProperty("attemptLog").EnumerateArray()).GetProperty("statusCode").GetInt32());
    }

    [Fact]
    public async Task A_receiver_failing_twice_gets_the_event_on_the_third_attempt_after_back_off()
    {
        await using var receiver = await Receiver.StartAsync(n => n <= 2 ? 500 : 204);
        var (orgId, _) = await app.CreateOrganizationAsync();
        var api = await app.ApiAsync(orgId, null);
        var endpoint = await CreateAsync(api, orgId, receiver.Url, [WebhookEvents.MemberAdded]);
        await AddMemberAsync(api, orgId);

        var first = await WaitForAsync(endpoint.Id, d => d.Attempts == 1);
        Assert.Equal(WebhookDeliveryStatus.Pending, first.Status);
        Assert.Equal(500, first.LastStatusCode);
        var firstAttempt = await app.DbAsync(db => db.WebhookAttempts.SingleAsync(a => a.DeliveryId == first.Id));
        Assert.InRange(first.NextAttemptAt - firstAttempt.At, TimeSpan.FromSeconds(55), TimeSpan.FromSeconds(65));

        clock.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(5));
        var second = await WaitForAsync(endpoint.Id, d => d.Attempts == 2);
        Assert.Equal(WebhookDeliveryStatus.Pending, second.Status);
        var secondAttempt = await app.DbAsync(db => db.WebhookAttempts.Where(a => a.DeliveryId == first.Id).OrderBy(a => a.At).LastAsync());
        Assert.InRange(second.NextAttemptAt - secondAttempt.At, TimeSpan.FromSeconds(115), TimeSpan.FromSeconds(125));

        clock.Advance(TimeSpan.FromMinutes(2) + TimeSpan.FromSeconds(5));
        var done = await WaitForAsync(endpoint.Id, d => d.Status == WebhookDeliveryStatus.Succeeded);
        Assert.Equal(3, done.Attempts);
        Assert.NotNull(done.DeliveredAt);
        var codes = await app.DbAsync(db => db.WebhookAttempts.Where(a => a.DeliveryId == done.Id).OrderBy(a => a.At).Select(a => a.StatusCode).ToListAsync());
        Assert.Equal([500, 500, 204], codes);
        Assert.Equal(3, receiver.Requests.Count);
        // The same event each time: receivers de-duplicate by id.
        Assert.Single(receiver.Requests.Select(r => r.Headers["Accrue-Webhook-Id"]).Distinct());
    }

    [Fact]
    public async Task A_delivery_still_failing_three_days_after_the_event_is_given_up_and_can_be_replayed()
    {
        var failing = true;
        await using var receiver = await Receiver.StartAsync(_ => failing ? 503 : 200);
        var (orgId, _) = await app.CreateOrganizationAsync();
        var api = await app.ApiAsync(orgId, null);
        var endpoint = await CreateAsync(api, orgId, receiver.Url, [WebhookEvents.MemberAdded]);
        await AddMemberAsync(api, orgId);
        await WaitForAsync(endpoint.Id, d => d.Attempts == 1);

        clock.Advance(TimeSpan.FromDays(3) + TimeSpan.FromMinutes(1));
        var failed = await WaitForAsync(endpoint.Id, d => d.Status == WebhookDeliveryStatus.Failed);
        Assert.Equal(2, failed.Attempts);
        Assert.Equal(503, failed.LastStatusCode);
        await Task.Delay(500);
        Assert.Equal(2, await app.DbAsync(db => db.WebhookAttempts.CountAsync(a => a.DeliveryId == failed.Id)));

        // Manual replay through the API: one new attempt, now successful.
        failing = false;
        var replay = await api.PostAsync($"/api/v1/organizations/{orgId}/webhooks/{endpoint.Id}/deliveries/{failed.Id}/replay", null);
        Assert.Equal(HttpStatusCode.Accepted, replay.StatusCode);
        var replayed = await WaitForAsync(endpoint.Id, d => d.Status == WebhookDeliveryStatus.Succeeded);
        Assert.Equal(3, replayed.Attempts);
        Assert.Equal(3, await app.DbAsync(db => db.WebhookAttempts.CountAsync(a => a.DeliveryId == failed.Id)));
    }

    [Fact]
    public async Task An_owner_adds_an_endpoint_in_the_portal_sees_its_secret_and_replays_a_delivery()
    {
        await using var receiver = await Receiver.StartAsync();
        var owner = await app.SignedInAsync("owner@acme.test");
        var created = await owner.SubmitFormAsync("/portal/webhooks", new Dictionary<string, string>
        {
            ["Input.Url"] = receiver.Url, ["Input.Description"] = "Portal hook", ["Input.EventTypes"] = WebhookEvents.MemberAdded,
        });
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var endpoint = await app.DbAsync(db => db.WebhookEndpoints.SingleAsync(e => e.Url == receiver.Url));
        Assert.Equal([WebhookEvents.MemberAdded], endpoint.EventTypes);
        var detail = await owner.GetPageAsync($"/portal/webhooks/{endpoint.Id}");
        Assert.Contains(endpoint.Secret, detail.QuerySelector(".webhook-secret")!.TextContent, StringComparison.Ordinal);

        // A real action: adding a member in the portal.
        var added = await owner.SubmitFormAsync("/portal/members/new", new Dictionary<string, string>
        {
            ["Input.Name"] = "Portal Hook", ["Input.Email"] = $"{Http.Unique("portal-hook")}@example.test", ["Input.Role"] = "Member",
        });
        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        var delivery = await WaitForAsync(endpoint.Id, d => d.Status == WebhookDeliveryStatus.Succeeded);

        var page = await owner.GetPageAsync($"/portal/webhooks/{endpoint.Id}");
        Assert.Contains("member.added", page.QuerySelector(".delivery-log")!.TextContent, StringComparison.Ordinal);
        var replay = await owner.SubmitFormAsync($"/portal/webhooks/{endpoint.Id}", new Dictionary<string, string>(), $"form.replay-{delivery.Id:N}");
        Assert.Equal(HttpStatusCode.Redirect, replay.StatusCode);
        await WaitForAsync(endpoint.Id, d => d.Attempts == 2 && d.Status == WebhookDeliveryStatus.Succeeded);
        Assert.Equal(2, receiver.Requests.Count);

        // Send test event: one webhook.test delivery to this endpoint.
        var test = await owner.SubmitFormAsync($"/portal/webhooks/{endpoint.Id}", new Dictionary<string, string>(), "form.send-test");
        Assert.Equal(HttpStatusCode.Redirect, test.StatusCode);
        await WaitForAsync(endpoint.Id, d => d.EventType == WebhookEvents.Test && d.Status == WebhookDeliveryStatus.Succeeded);
    }

    [Fact]
    public async Task Another_organization_can_neither_see_nor_replay_an_endpoint_and_members_never_see_operator_endpoints()
    {
        await using var receiver = await Receiver.StartAsync();
        var (orgId, _) = await app.CreateOrganizationAsync();
        var api = await app.ApiAsync(orgId, null);
        var endpoint = await CreateAsync(api, orgId, receiver.Url, [WebhookEvents.MemberAdded]);
        await AddMemberAsync(api, orgId);
        var delivery = await WaitForAsync(endpoint.Id, d => d.Status == WebhookDeliveryStatus.Succeeded);

        var globexId = await app.OrganizationIdAsync(ApiKeysForTests.Globex);
        var globex = await app.OrganizationApiAsync(ApiKeysForTests.Globex);
        Assert.Equal(HttpStatusCode.NotFound, (await globex.GetAsync($"/api/v1/organizations/{orgId}/webhooks")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await globex.GetAsync($"/api/v1/organizations/{orgId}/webhooks/{endpoint.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await globex.GetAsync($"/api/v1/organizations/{globexId}/webhooks/{endpoint.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await globex.PostAsync($"/api/v1/organizations/{globexId}/webhooks/{endpoint.Id}/deliveries/{delivery.Id}/replay", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await globex.PostAsync($"/api/v1/organizations/{orgId}/webhooks/{endpoint.Id}/deliveries/{delivery.Id}/replay", null)).StatusCode);
        var globexOwner = await app.SignedInAsync("owner@globex.test");
        await globexOwner.GetPageAsync($"/portal/webhooks/{endpoint.Id}", HttpStatusCode.NotFound);
        Assert.Equal(1, await app.DbAsync(db => db.WebhookDeliveries.Where(d => d.Id == delivery.Id).Select(d => d.Attempts).SingleAsync()));

        // The operator's endpoint receives every organization's events, and no member or organization key sees it.
        await using var operatorReceiver = await Receiver.StartAsync();
        var operatorApi = await app.OperatorApiAsync();
        var created = await operatorApi.PostAsJsonAsync("/api/v1/webhooks", new { url = operatorReceiver.Url, eventTypes = new[] { WebhookEvents.MemberRemoved } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var operatorEndpointId = (await created.JsonAsync()).GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.Forbidden, (await api.GetAsync("/api/v1/webhooks")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await api.GetAsync($"/api/v1/webhooks/{operatorEndpointId}")).StatusCode);
        var own = await (await api.GetAsync($"/api/v1/organizations/{orgId}/webhooks")).JsonAsync();
        Assert.DoesNotContain(own.GetProperty("items").EnumerateArray(), e => e.GetProperty("id").GetGuid() == operatorEndpointId);
        var acmeOwner = await app.SignedInAsync("owner@acme.test");
        var list = await acmeOwner.GetPageAsync("/portal/webhooks");
        Assert.DoesNotContain(operatorReceiver.Url, list.Body!.TextContent, StringComparison.Ordinal);
        await acmeOwner.GetPageAsync($"/portal/webhooks/{operatorEndpointId}", HttpStatusCode.NotFound);
        var staff = await app.SignedInAsync("admin@demo-telecom.test");
        Assert.Contains(operatorReceiver.Url, (await staff.GetPageAsync("/console/webhooks")).Body!.TextContent, StringComparison.Ordinal);

        var memberId = await AddMemberAsync(api, orgId);
        Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync($"/api/v1/organizations/{orgId}/members/{memberId}")).StatusCode);
        var toOperator = await WaitForAsync(operatorEndpointId, d => d.Status == WebhookDeliveryStatus.Succeeded);
        Assert.True(toOperator.ToOperator);
        Assert.Equal(orgId, toOperator.OrganizationId);
        var body = JsonDocument.Parse(Assert.Single(operatorReceiver.Requests).Body).RootElement;
        Assert.Equal("member.removed", body.GetProperty("type").GetString());
        var deliveries = await (await api.GetAsync($"/api/v1/organizations/{orgId}/webhooks/{endpoint.Id}/deliveries")).JsonAsync();
        Assert.DoesNotContain(deliveries.GetProperty("items").EnumerateArray(), d => d.GetProperty("id").GetGuid() == toOperator.Id);
    }

    [Fact]
    public async Task Buying_seats_delivers_order_status_and_invoice_events()
    {
        await using var receiver = await Receiver.StartAsync();
        var api = await app.OrganizationApiAsync(ApiKeysForTests.Acme);
        var acme = await app.OrganizationIdAsync(ApiKeysForTests.Acme);
        var endpoint = await CreateAsync(api, acme, receiver.Url, [WebhookEvents.OrderStatusChanged, WebhookEvents.InvoiceIssued, WebhookEvents.InvoicePaid, WebhookEvents.SubscriptionChanged]);

        var order = await app.PaidSeatsOrderAsync();
        var types = await WaitForTypesAsync(endpoint.Id, 4);
        Assert.Equal(
            [WebhookEvents.InvoiceIssued, WebhookEvents.InvoicePaid, WebhookEvents.OrderStatusChanged, WebhookEvents.SubscriptionChanged],
            types.Order(StringComparer.Ordinal));
        var orderEvent = receiver.Requests.Select(r => JsonDocument.Parse(r.Body).RootElement).Single(p => p.GetProperty("type").GetString() == WebhookEvents.OrderStatusChanged);
        Assert.Equal(order.Id, orderEvent.GetProperty("data").GetProperty("id").GetGuid());
        Assert.Equal("Succeeded", orderEvent.GetProperty("data").GetProperty("status").GetString());
        // Amounts travel as decimal strings with the currency's digits, in webhook payloads too (issue 15 §32).
        Assert.Equal(order.Total.ToString("F2", System.Globalization.CultureInfo.InvariantCulture), orderEvent.GetProperty("data").GetMoneyText("total"));
        var invoiceEvent = receiver.Requests.Select(r => JsonDocument.Parse(r.Body).RootElement).Single(p => p.GetProperty("type").GetString() == WebhookEvents.InvoiceIssued);
        Assert.Equal(order.Id, invoiceEvent.GetProperty("data").GetProperty("orderId").GetGuid());
    }

    [Fact]
    public async Task Bad_endpoint_input_is_refused_with_clear_errors_and_nothing_written()
    {
        var (orgId, _) = await app.CreateOrganizationAsync();
        var api = await app.ApiAsync(orgId, null);
        var before = await app.CountAsync<WebhookEndpoint>();

        async Task<IReadOnlyList<string>> RefusedAsync(object body)
        {
            var response = await api.PostAsJsonAsync($"/api/v1/organizations/{orgId}/webhooks", body);
            return (await response.ProblemAsync(400)).ErrorKeys();
        }
        Assert.Equal(["url"], await RefusedAsync(new { url = "ftp://example.com/hook", eventTypes = new[] { "member.added" } }));
        Assert.Equal(["url"], await RefusedAsync(new { url = "/relative/hook", eventTypes = new[] { "member.added" } }));
        Assert.Equal(["url"], await RefusedAsync(new { url = "http://example.com/hook", eventTypes = new[] { "member.added" } }));
        Assert.Equal(["eventTypes"], await RefusedAsync(new { url = "https://example.com/hook", eventTypes = Array.Empty<string>() }));
        Assert.Equal(["eventTypes"], await RefusedAsync(new { url = "https://example.com/hook", eventTypes = new[] { "member.exploded" } }));
        Assert.Equal(["description"], await RefusedAsync(new { url = "https://example.com/hook", eventTypes = new[] { "member.added" }, description = new string('x', 201) }));
        Assert.Equal(before, await app.CountAsync<WebhookEndpoint>());

        var owner = await app.SignedInAsync("owner@acme.test");
        var refused = await owner.SubmitFormAsync("/portal/webhooks", new Dictionary<string, string> { ["Input.Url"] = "not a url" });
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        var errors = Http.Parse(await refused.Content.ReadAsStringAsync()).Errors();
        Assert.Contains(errors, e => e.Contains("absolute http:// or https:// URL", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("at least one event type", StringComparison.Ordinal));
        Assert.Equal(before, await app.CountAsync<WebhookEndpoint>());

        // Loopback over plain http is allowed (for trying things out); the owner of the key gets the secret.
        var ok = await api.PostAsJsonAsync($"/api/v1/organizations/{orgId}/webhooks", new { url = "http://127.0.0.1:9/hook", eventTypes = new[] { "member.added" } });
        Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
        Assert.Equal(before + 1, await app.CountAsync<WebhookEndpoint>());
    }

    [Fact]
    public async Task A_member_without_manage_account_is_refused_the_webhooks_page()
    {
        var person = await app.NewMemberAsync();
        var member = await app.SignedInAsync(person.Email, person.Password);
        await member.GetPageAsync("/portal/webhooks", HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Partner_staff_are_not_shown_the_operators_webhooks_and_are_sent_to_the_access_denied_page()
    {
        const string link = "nav a[href='/console/webhooks']";
        var staff = await app.SignedInAsync(Console.ConsoleSteps.Operator);
        Assert.NotNull((await staff.GetPageAsync("/console/organizations")).QuerySelector(link));

        var partner = await app.SignedInAsync(Console.ConsoleSteps.PartnerStaff);
        var organizations = await partner.GetPageAsync("/console/organizations");
        Assert.Null(organizations.QuerySelector(link));
        Assert.NotNull(organizations.QuerySelector("nav a[href='/console/billing-runs']"));
        var denied = await partner.GetAsync("/console/webhooks");
        Assert.Equal((HttpStatusCode.Redirect, "/account/denied"), (denied.StatusCode, denied.Headers.Location?.AbsolutePath));
        var before = await app.CountAsync<WebhookEndpoint>();
        var refused = await partner.PostFormAsync("/console/webhooks",
            new Dictionary<string, string> { ["Input.Url"] = "https://example.com/hook", ["Input.EventTypes"] = WebhookEvents.MemberAdded }, "/console/organizations");
        Assert.Equal((HttpStatusCode.Redirect, "/account/denied"), (refused.StatusCode, refused.Headers.Location?.AbsolutePath));
        Assert.Equal(before, await app.CountAsync<WebhookEndpoint>());
    }

    [Fact]
    public async Task The_delivery_log_shows_the_status_code_and_an_error_class_never_the_receivers_reason_phrase_or_body()
    {
        const string secret = "db-7.corp.internal:5432";
        await using var receiver = await Receiver.StartAsync(_ => 500, reasonPhrase: $"Upstream {secret} down", body: $"<h1>stack trace from {secret}</h1>");
        await using var slow = await Receiver.StartAsync(delay: _ => TimeSpan.FromSeconds(30));
        // In Acme, whose Owner signs in to the portal below; an event type no other test here triggers (only test events are sent).
        var orgId = await app.OrganizationIdAsync(ApiKeysForTests.Acme);
        var api = await app.OrganizationApiAsync(ApiKeysForTests.Acme);
        string[] types = [WebhookEvents.VoucherRedeemed];
        var status = await CreateAsync(api, orgId, receiver.Url, types);
        var refused = await CreateAsync(api, orgId, $"http://127.0.0.1:{Receiver.ClosedPort()}/hook", types);
        var tls = await CreateAsync(api, orgId, receiver.Url.Replace("http://", "https://", StringComparison.Ordinal), types);
        var timeout = await CreateAsync(api, orgId, slow.Url, types);
        var unresolved = await InsertEndpointAsync(orgId, "https://missing.hooks.test/hook", WebhookEvents.VoucherRedeemed);

        foreach (var id in new[] { status.Id, refused.Id, tls.Id, timeout.Id, unresolved })
            Assert.Equal(HttpStatusCode.Accepted, (await api.PostAsync($"/api/v1/organizations/{orgId}/webhooks/{id}/test", null)).StatusCode);

        async Task<JsonElement> FailedAttemptAsync(Guid endpointId)
        {
            await WaitForAsync(endpointId, d => d.Status == WebhookDeliveryStatus.Failed);
            var log = await (await api.GetAsync($"/api/v1/organizations/{orgId}/webhooks/{endpointId}/deliveries")).Content.ReadAsStringAsync();
            Assert.DoesNotContain(secret, log, StringComparison.Ordinal);
            Assert.DoesNotContain("refused (", log, StringComparison.OrdinalIgnoreCase);
            var delivery = Assert.Single(JsonDocument.Parse(log).RootElement.GetProperty("items").EnumerateArray());
            var attempt = Assert.Single(delivery.GetProperty("attemptLog").EnumerateArray());
            Assert.Equal(attempt.GetProperty("error").GetString(), delivery.GetProperty("lastError").GetString());
            return attempt;
        }
        static string Outcome(JsonElement attempt) =>
            $"{(attempt.GetProperty("statusCode").ValueKind == JsonValueKind.Null ? "-" : attempt.GetProperty("statusCode").GetInt32())} {attempt.GetProperty("error").GetString()}";

        Assert.Equal("500 http_status", Outcome(await FailedAttemptAsync(status.Id)));
        Assert.Equal("- connection_refused", Outcome(await FailedAttemptAsync(refused.Id)));
        Assert.Equal("- tls_error", Outcome(await FailedAttemptAsync(tls.Id)));
        Assert.Equal("- timeout", Outcome(await FailedAttemptAsync(timeout.Id)));
        Assert.Equal("- dns_error", Outcome(await FailedAttemptAsync(unresolved)));

        // The portal's delivery log says the same in words, without the receiver's text.
        var owner = await app.SignedInAsync("owner@acme.test");
        var page = await owner.GetPageAsync($"/portal/webhooks/{status.Id}");
        var logText = page.QuerySelector(".delivery-log")!.TextContent;
        Assert.DoesNotContain(secret, logText, StringComparison.Ordinal);
        Assert.Equal("http_status", page.QuerySelector(".delivery-log .attempt-error")!.TextContent);
        Assert.Contains("500", logText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_host_name_is_resolved_checked_and_connected_to_at_the_address_that_was_checked()
    {
        await using var receiver = await Receiver.StartAsync();
        var (orgId, _) = await app.CreateOrganizationAsync();
        var api = await app.ApiAsync(orgId, null);
        // pinned.hooks.test exists only in the test's resolver (127.0.0.1): the connection goes to what it answered.
        var port = new Uri(receiver.Url).Port;
        var endpoint = await InsertEndpointAsync(orgId, $"http://pinned.hooks.test:{port}/hook");
        Assert.Equal(HttpStatusCode.Accepted, (await api.PostAsync($"/api/v1/organizations/{orgId}/webhooks/{endpoint}/test", null)).StatusCode);
        var delivery = await WaitForAsync(endpoint, d => d.Status == WebhookDeliveryStatus.Succeeded);
        Assert.Equal(200, delivery.LastStatusCode);
        Assert.Equal($"pinned.hooks.test:{port}", Assert.Single(receiver.Requests).Headers["Host"]);
    }

    private Task<Guid> InsertEndpointAsync(Guid orgId, string url, string type = WebhookEvents.MemberAdded) => InsertEndpointAsync(app, orgId, url, type);

    /// <summary>An endpoint written as it stands (a URL registration would refuse, or one registered before a configuration change).</summary>
    internal static Task<Guid> InsertEndpointAsync(AccrueApp app, Guid orgId, string url, string type = WebhookEvents.MemberAdded) => app.DbAsync(async db =>
    {
        var operatorId = await db.Organizations.IgnoreQueryFilters().Where(o => o.Id == orgId).Select(o => o.OperatorId).SingleAsync();
        var endpoint = new WebhookEndpoint { OperatorId = operatorId, OrganizationId = orgId, Url = url, Secret = "whsec_test", EventTypes = [type] };
        db.WebhookEndpoints.Add(endpoint);
        await db.SaveChangesAsync();
        return endpoint.Id;
    });

    private sealed record Endpoint(Guid Id, string Secret);

    private static async Task<Endpoint> CreateAsync(HttpClient api, Guid orgId, string url, string[] types)
    {
        var response = await api.PostAsJsonAsync($"/api/v1/organizations/{orgId}/webhooks", new { url, eventTypes = types, description = "test" });
        var body = await response.JsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body.ToString());
        return new Endpoint(body.GetProperty("id").GetGuid(), body.GetProperty("secret").GetString()!);
    }

    private static async Task<Guid> AddMemberAsync(HttpClient api, Guid orgId)
    {
        var response = await api.PostAsJsonAsync($"/api/v1/organizations/{orgId}/members",
            new { name = "Hook Person", email = $"{Http.Unique("hook")}@example.test", role = "Member", portalAccess = false });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.JsonAsync()).GetProperty("id").GetGuid();
    }

    private Task<WebhookDelivery> WaitForAsync(Guid endpointId, Func<WebhookDelivery, bool> condition) => WaitForAsync(app, endpointId, condition);

    internal static async Task<WebhookDelivery> WaitForAsync(AccrueApp app, Guid endpointId, Func<WebhookDelivery, bool> condition)
    {
        var until = DateTime.UtcNow + Patience;
        while (true)
        {
            var deliveries = await app.DbAsync(db => db.WebhookDeliveries.AsNoTracking().Where(d => d.EndpointId == endpointId).ToListAsync());
            if (deliveries.FirstOrDefault(condition) is { } found) return found;
            if (DateTime.UtcNow > until)
                throw new Xunit.Sdk.XunitException($"No delivery matched in time: {string.Join("; ", deliveries.Select(d => $"{d.EventType} {d.Status} x{d.Attempts} {d.LastError}"))}");
            await Task.Delay(100);
        }
    }

    private async Task<List<string>> WaitForTypesAsync(Guid endpointId, int count)
    {
        var until = DateTime.UtcNow + Patience;
        while (true)
        {
            var done = await app.DbAsync(db => db.WebhookDeliveries.Where(d => d.EndpointId == endpointId && d.Status == WebhookDeliveryStatus.Succeeded).Select(d => d.EventType).ToListAsync());
            if (done.Count >= count) return done;
            if (DateTime.UtcNow > until) throw new Xunit.Sdk.XunitException($"Only {string.Join(", ", done)} delivered in time.");
            await Task.Delay(100);
        }
    }
}

/// <summary>The receivers are on loopback, so private targets are allowed here; *.hooks.test names resolve to 127.0.0.1.</summary>
public sealed class WebhookSqliteApp : ClockedSqliteApp
{
    protected override IReadOnlyDictionary<string, string?> Settings => WebhookSettings.AllowingPrivateTargets;
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(s => s.AddSingleton<HostResolver, TestResolver>());
    }
}

public sealed class WebhookPostgresApp : ClockedPostgresApp
{
    protected override IReadOnlyDictionary<string, string?> Settings => WebhookSettings.AllowingPrivateTargets;
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(s => s.AddSingleton<HostResolver, TestResolver>());
    }
}

public static class WebhookSettings
{
    public static IReadOnlyDictionary<string, string?> AllowingPrivateTargets => new Dictionary<string, string?>
    {
        ["Webhooks:PollInterval"] = "00:00:00.100",
        ["Webhooks:AllowPrivateTargets"] = "true",
        ["Webhooks:Timeout"] = "00:00:03",
    };
}

public sealed class WebhookTestsOnSqlite(WebhookSqliteApp app) : WebhookTests(app, app.Clock), IClassFixture<WebhookSqliteApp>;

public sealed class WebhookTestsOnPostgres(WebhookPostgresApp app) : WebhookTests(app, app.Clock), IClassFixture<WebhookPostgresApp>;
