using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Accrue.Domain.Accounts;
using Accrue.Web.Infrastructure.Security;
using Accrue.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Tests.Api;

/// <summary>API clients holding a fresh key of each scope, written straight to the database as the console would.</summary>
public static class ApiKeysForTests
{
    public const string Acme = "Acme Prepaid Ltd";
    public const string Globex = "Globex Postpaid GmbH";
    public const string Initech = "Initech Pty";

    /// <summary>Operator-wide key: no organization, no partner.</summary>
    public static Task<HttpClient> OperatorApiAsync(this AccrueApp app) => app.ApiAsync(null, null);

    /// <summary>Key of the demo partner, Northwind Resellers.</summary>
    public static async Task<HttpClient> PartnerApiAsync(this AccrueApp app) =>
        await app.ApiAsync(null, await app.DbAsync(db => db.Partners.Where(p => p.Name == "Northwind Resellers").Select(p => p.Id).SingleAsync()));

    /// <summary>Key of one organization (acts with its Owner's rights).</summary>
    public static async Task<HttpClient> OrganizationApiAsync(this AccrueApp app, string organization = Acme) =>
        await app.ApiAsync(await app.OrganizationIdAsync(organization), null);

    public static Task<Guid> OrganizationIdAsync(this AccrueApp app, string name) =>
        app.DbAsync(db => db.Organizations.IgnoreQueryFilters().Where(o => o.Name == name).Select(o => o.Id).SingleAsync());

    public static async Task<HttpClient> ApiAsync(this AccrueApp app, Guid? organizationId, Guid? partnerId)
    {
        var (key, plaintext) = ApiKeys.Create(Http.Unique("test key"), organizationId, partnerId);
        await app.DbAsync(async db => { db.ApiKeys.Add(key); return await db.SaveChangesAsync(); });
        return app.ApiClient(plaintext);
    }

    public static HttpClient ApiClient(this AccrueApp app, string? bearer)
    {
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = app.ApiBaseAddress });
        if (bearer is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        return client;
    }

    /// <summary>A valid create-organization body with a unique name and owner email.</summary>
    public static Dictionary<string, object?> NewOrganization(string? name = null, string? ownerEmail = null) => new()
    {
        ["name"] = name ?? Http.Unique("Api Org"),
        ["billingAddress"] = new { line1 = "1 Test Road", city = "Leeds", postalCode = "LS1 1AA" },
        ["country"] = "GB",
        ["currency"] = "GBP",
        ["timeZone"] = "Europe/London",
        ["billingMode"] = "Prepaid",
        ["owner"] = new { name = "Owen Owner", email = ownerEmail ?? $"{Http.Unique("owner")}@api.test" },
    };

    /// <summary>Creates an organization through the API with an operator key; returns its id and its Owner's member id.</summary>
    public static async Task<(Guid OrganizationId, Guid OwnerId)> CreateOrganizationAsync(this AccrueApp app)
    {
        var api = await app.OperatorApiAsync();
        var response = await api.PostAsJsonAsync("/api/v1/organizations", NewOrganization());
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new Xunit.Sdk.XunitException($"Create organization: {(int)response.StatusCode}\n{body}");
        var id = JsonDocument.Parse(body).RootElement.GetProperty("id").GetGuid();
        var owner = await app.DbAsync(db => db.Members.IgnoreQueryFilters().Where(m => m.OrganizationId == id && m.Role == MemberRole.Owner).Select(m => m.Id).SingleAsync());
        return (id, owner);
    }

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    /// <summary>Asserts a ProblemDetails answer with <paramref name="status"/> and returns its body.</summary>
    public static async Task<JsonElement> ProblemAsync(this HttpResponseMessage response, int status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"Expected {status} but got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
        return problem;
    }

    public static IReadOnlyList<string> ErrorKeys(this JsonElement problem) =>
        problem.TryGetProperty("errors", out var errors) ? errors.EnumerateObject().Select(p => p.Name).ToList() : [];
}
