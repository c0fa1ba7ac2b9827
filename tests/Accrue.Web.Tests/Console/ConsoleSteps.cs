using System.Net;
using Accrue.Domain.Accounts;
using Accrue.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Tests.Console;

/// <summary>What console tests do over and over: sign in as staff, create an organization through the form.</summary>
public static class ConsoleSteps
{
    public const string Operator = "admin@demo-telecom.test";
    public const string PartnerStaff = "staff@northwind.test";

    public sealed record CreatedOrganization(Guid Id, string Name, string OwnerEmail);

    public static async Task<CreatedOrganization> CreateOrganizationAsync(this HttpClient staff, string? name = null)
    {
        name ??= Http.Unique("Org");
        var ownerEmail = $"{Http.Unique("owner")}@example.test";
        var response = await staff.SubmitFormAsync("/console/organizations/new", new Dictionary<string, string>
        {
            ["Input.Name"] = name,
            ["Input.Country"] = "DE",
            ["Input.Currency"] = "EUR",
            ["Input.TimeZone"] = "Europe/Berlin",
            ["Input.BillingMode"] = "Postpaid",
            ["Input.BillingAddress.Line1"] = "Torstraße 1",
            ["Input.BillingAddress.City"] = "Berlin",
            ["OwnerName"] = "Owen Owner",
            ["OwnerEmail"] = ownerEmail,
        });
        if (response.StatusCode != HttpStatusCode.Redirect)
            throw new Xunit.Sdk.XunitException($"Creating {name} failed: {(int)response.StatusCode}\n{await response.Content.ReadAsStringAsync()}");
        var id = Guid.Parse(response.Headers.Location!.OriginalString.Split('/').Last());
        return new CreatedOrganization(id, name, ownerEmail);
    }

    public static Task<Guid> OrganizationIdAsync(this AccrueApp app, string name) =>
        app.DbAsync(db => db.Organizations.IgnoreQueryFilters().Where(o => o.Name == name).Select(o => o.Id).SingleAsync());

    public static Task<Member> OwnerAsync(this AccrueApp app, Guid organizationId) =>
        app.DbAsync(db => db.Members.IgnoreQueryFilters().SingleAsync(m => m.OrganizationId == organizationId && m.Role == MemberRole.Owner));
}
