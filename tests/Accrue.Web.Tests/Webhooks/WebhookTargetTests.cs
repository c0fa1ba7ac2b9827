using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Accrue.Web.Data;
using Accrue.Web.Features.Webhooks;
using Accrue.Web.Infrastructure.Net;
using Accrue.Web.Tests.Api;
using Accrue.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Accrue.Web.Tests.Webhooks;

/// <summary>
/// Issue 15 A8 (SSRF), with the default configuration (Webhooks:AllowPrivateTargets off): endpoint URLs
/// targeting loopback, private, link-local, unique-local, unspecified, multicast or CGNAT addresses, in
/// any spelling, are refused at registration (API and page), and again at delivery after DNS resolution.
/// </summary>
public abstract class WebhookTargetTests(AccrueApp app)
{
    public static TheoryData<string> NonPublicUrls =>
    [
        "http://localhost:22/",
        "https://localhost/hook",
        "https://api.localhost./hook",
        "http://[::1]:5432/",
        "https://[::1]/hook",
        "http://2130706433/",
        "http://0177.0.0.1/",
        "http://0x7f.0.0.1/",
        "http://0x7f000001/",
        "http://127.1/",
        "https://127.0.0.1./hook",
        "https://127.255.255.254/hook",
        "https://169.254.169.254/latest/meta-data/",
        "https://2852039166/latest/meta-data/",
        "https://10.0.0.1/",
        "https://172.16.0.1/hook",
        "https://192.168.1.1/hook",
        "https://100.64.0.1/hook",
        "https://0.0.0.0/hook",
        "https://0/hook",
        "https://224.0.0.1/hook",
        "https://255.255.255.255/hook",
        "https://[::]/hook",
        "https://[::ffff:127.0.0.1]/hook",
        "https://[::ffff:7f00:1]/hook",
        "https://[::ffff:a9fe:a9fe]/hook",
        "https://[0:0:0:0:0:ffff:10.0.0.1]/hook",
        "https://[64:ff9b::7f00:1]/hook",
        "https://[2002:7f00:1::1]/hook",
        "https://[fe80::1]/hook",
        "https://[fd00::1]/hook",
        "https://[fc00::1]/hook",
        "https://[ff02::1]/hook",
        "https://999.1.1.1/hook",
        "https://1.2.3.4.5/hook",
    ];

    [Theory]
    [MemberData(nameof(NonPublicUrls))]
    public async Task A_url_targeting_a_non_public_address_is_refused_at_registration_and_nothing_is_written(string url)
    {
        var (orgId, _) = await app.CreateOrganizationAsync();
        var api = await app.ApiAsync(orgId, null);
        var before = await app.CountAsync<WebhookEndpoint>();
        var response = await api.PostAsJsonAsync($"/api/v1/organizations/{orgId}/webhooks", new { url, eventTypes = new[] { WebhookEvents.MemberAdded } });
        var problem = await response.ProblemAsync(400);
        Assert.Equal(["url"], problem.ErrorKeys());
        Assert.Equal(before, await app.CountAsync<WebhookEndpoint>());

        // The operator's own endpoints too.
        var operatorApi = await app.OperatorApiAsync();
        await (await operatorApi.PostAsJsonAsync("/api/v1/webhooks", new { url, eventTypes = new[] { WebhookEvents.MemberAdded } })).ProblemAsync(400);
        Assert.Equal(before, await app.CountAsync<WebhookEndpoint>());
    }

    [Fact]
    public async Task The_portal_form_and_an_update_refuse_private_targets_while_public_ones_are_accepted()
    {
        var owner = await app.SignedInAsync("owner@acme.test");
        var before = await app.CountAsync<WebhookEndpoint>();
        foreach (var url in new[] { "http://2130706433/hook", "https://[::ffff:127.0.0.1]/hook", "https://169.254.169.254/" })
        {
            var refused = await owner.SubmitFormAsync("/portal/webhooks", new Dictionary<string, string>
            {
                ["Input.Url"] = url, ["Input.EventTypes"] = WebhookEvents.MemberAdded,
            });
            Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
            var errors = Http.Parse(await refused.Content.ReadAsStringAsync()).Errors();
            Assert.Contains(errors, e => e.Contains("only sent to public internet addresses", StringComparison.Ordinal));
        }
        Assert.Equal(before, await app.CountAsync<WebhookEndpoint>());

        // Public addresses and names are accepted; a name is checked again when it is resolved at delivery.
        var (orgId, _) = await app.CreateOrganizationAsync();
        var api = await app.ApiAsync(orgId, null);
        var created = await api.PostAsJsonAsync($"/api/v1/organizations/{orgId}/webhooks", new { url = "https://93.184.215.14/hook", eventTypes = new[] { WebhookEvents.MemberAdded } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.JsonAsync()).GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsJsonAsync($"/api/v1/organizations/{orgId}/webhooks", new { url = "https://hooks.example.com/accrue", eventTypes = new[] { WebhookEvents.MemberAdded } })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsJsonAsync($"/api/v1/organizations/{orgId}/webhooks", new { url = "https://[2606:4700::1111]/hook", eventTypes = new[] { WebhookEvents.MemberAdded } })).StatusCode);

        // Changing a registered endpoint to a private address is refused, and the URL stays.
        var update = await api.PutAsJsonAsync($"/api/v1/organizations/{orgId}/webhooks/{id}", new { url = "https://10.1.2.3/hook", eventTypes = new[] { WebhookEvents.MemberAdded } });
        Assert.Equal(["url"], (await update.ProblemAsync(400)).ErrorKeys());
        Assert.Equal("https://93.184.215.14/hook", (await (await api.GetAsync($"/api/v1/organizations/{orgId}/webhooks/{id}")).JsonAsync()).GetProperty("url").GetString());
    }

    [Fact]
    public async Task A_delivery_to_a_host_that_is_or_resolves_to_a_private_address_is_refused_before_connecting()
    {
        await using var receiver = await Receiver.StartAsync();
        var port = new Uri(receiver.Url).Port;
        var (orgId, _) = await app.CreateOrganizationAsync();
        var api = await app.ApiAsync(orgId, null);
        // Written as they stand: registered while private targets were allowed, or a name whose DNS answer changed since.
        var literal = await WebhookTests.InsertEndpointAsync(app, orgId, receiver.Url);
        var mapped = await WebhookTests.InsertEndpointAsync(app, orgId, $"http://[::ffff:127.0.0.1]:{port}/hook");
        var rebound = await WebhookTests.InsertEndpointAsync(app, orgId, $"http://rebound.hooks.test:{port}/hook");

        foreach (var id in new[] { literal, mapped, rebound })
        {
            Assert.Equal(HttpStatusCode.Accepted, (await api.PostAsync($"/api/v1/organizations/{orgId}/webhooks/{id}/test", null)).StatusCode);
            var delivery = await WebhookTests.WaitForAsync(app, id, d => d.Status == WebhookDeliveryStatus.Failed);
            Assert.Equal((1, (int?)null, (string?)WebhookErrors.BlockedAddress), (delivery.Attempts, delivery.LastStatusCode, delivery.LastError));
            var log = await (await api.GetAsync($"/api/v1/organizations/{orgId}/webhooks/{id}/deliveries")).JsonAsync();
            var attempt = Assert.Single(Assert.Single(log.GetProperty("items").EnumerateArray()).GetProperty("attemptLog").EnumerateArray());
            Assert.Equal("blocked_address", attempt.GetProperty("error").GetString());
            Assert.Equal(JsonValueKind.Null, attempt.GetProperty("statusCode").ValueKind);
        }
        Assert.Empty(receiver.Requests);
    }
}

/// <summary>Resolves <c>*.hooks.test</c> to 127.0.0.1 (<c>missing.hooks.test</c> to nothing); other names as usual.</summary>
public sealed class TestResolver : HostResolver
{
    public override Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        if (host.Equals("missing.hooks.test", StringComparison.OrdinalIgnoreCase)) throw new SocketException((int)SocketError.HostNotFound);
        if (host.EndsWith(".hooks.test", StringComparison.OrdinalIgnoreCase)) return Task.FromResult(new[] { IPAddress.Loopback });
        return base.ResolveAsync(host, cancellationToken);
    }
}

/// <summary>The default configuration: private targets not allowed.</summary>
public sealed class WebhookTargetSqliteApp : ClockedSqliteApp
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Webhooks:PollInterval"] = "00:00:00.100" };
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(s => s.AddSingleton<HostResolver, TestResolver>());
    }
}

public sealed class WebhookTargetPostgresApp : ClockedPostgresApp
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Webhooks:PollInterval"] = "00:00:00.100" };
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(s => s.AddSingleton<HostResolver, TestResolver>());
    }
}

public sealed class WebhookTargetTestsOnSqlite(WebhookTargetSqliteApp app) : WebhookTargetTests(app), IClassFixture<WebhookTargetSqliteApp>;

public sealed class WebhookTargetTestsOnPostgres(WebhookTargetPostgresApp app) : WebhookTargetTests(app), IClassFixture<WebhookTargetPostgresApp>;

/// <summary>The address rules on their own: the edges of each range, and the spellings of one address.</summary>
public sealed class NetworkAddressesTests
{
    [Theory]
    [InlineData("8.8.8.8", AddressKind.Public)]
    [InlineData("172.15.255.255", AddressKind.Public)]
    [InlineData("172.16.0.0", AddressKind.Private)]
    [InlineData("172.31.255.255", AddressKind.Private)]
    [InlineData("172.32.0.0", AddressKind.Public)]
    [InlineData("100.63.255.255", AddressKind.Public)]
    [InlineData("100.64.0.0", AddressKind.SharedCgnat)]
    [InlineData("100.127.255.255", AddressKind.SharedCgnat)]
    [InlineData("100.128.0.0", AddressKind.Public)]
    [InlineData("169.254.169.254", AddressKind.LinkLocal)]
    [InlineData("126.255.255.255", AddressKind.Public)]
    [InlineData("127.0.0.1", AddressKind.Loopback)]
    [InlineData("223.255.255.255", AddressKind.Public)]
    [InlineData("239.255.255.250", AddressKind.Multicast)]
    [InlineData("0.0.0.0", AddressKind.Unspecified)]
    [InlineData("2606:4700::1111", AddressKind.Public)]
    [InlineData("::1", AddressKind.Loopback)]
    [InlineData("::", AddressKind.Unspecified)]
    [InlineData("::ffff:8.8.8.8", AddressKind.Public)]
    [InlineData("::ffff:192.168.0.1", AddressKind.Private)]
    [InlineData("64:ff9b::808:808", AddressKind.Public)]
    [InlineData("64:ff9b::a00:1", AddressKind.Private)]
    [InlineData("fe80::1", AddressKind.LinkLocal)]
    [InlineData("febf::1", AddressKind.LinkLocal)]
    [InlineData("fd12:3456::1", AddressKind.UniqueLocal)]
    [InlineData("ff05::2", AddressKind.Multicast)]
    [InlineData("2001:db8::1", AddressKind.Reserved)]
    public void Classifies_addresses(string address, AddressKind kind) =>
        Assert.Equal(kind, NetworkAddresses.Classify(IPAddress.Parse(address)));

    [Theory]
    [InlineData("2130706433")]
    [InlineData("0177.0.0.1")]
    [InlineData("0x7f.0.0.1")]
    [InlineData("0x7F000001")]
    [InlineData("127.1")]
    [InlineData("127.0.1")]
    [InlineData("017700000001")]
    [InlineData("127.0.0.1.")]
    public void Reads_every_spelling_of_an_ipv4_address(string host)
    {
        Assert.True(NetworkAddresses.TryParseLiteral(host, out var address));
        Assert.Equal(IPAddress.Loopback, address);
    }

    [Theory]
    [InlineData("example.com")]
    [InlineData("999.1.1.1")]
    [InlineData("1.2.3.4.5")]
    [InlineData("256.0.0.1")]
    [InlineData("08.0.0.1")]
    [InlineData("0x1.example")]
    public void Host_names_and_invalid_numbers_are_not_literals(string host) =>
        Assert.False(NetworkAddresses.TryParseLiteral(host, out _));
}
