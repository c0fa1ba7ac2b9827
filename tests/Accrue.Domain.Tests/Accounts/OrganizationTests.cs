using Accrue.Domain.Accounts;

namespace Accrue.Domain.Tests.Accounts;

public sealed class OrganizationTests
{
    private static readonly Func<string, bool> AnyZone = z => z == "Europe/Berlin";

    private static OrganizationDetails Details(string country = "DE", string currency = "EUR", string zone = "Europe/Berlin", string name = "Globex", string? billingName = null) =>
        new(name, billingName, new Address { Line1 = "Hauptstraße 5" }, country, currency, zone, BillingMode.Postpaid);

    [Fact]
    public void Valid_details_have_no_errors() => Assert.False(Organization.Validate(Details(), AnyZone).Any);

    [Theory]
    [InlineData("XX", "EUR", "Europe/Berlin", "Country")]
    [InlineData("de", "EUR", "Europe/Berlin", "Country")]
    [InlineData("DE", "ABC", "Europe/Berlin", "Currency")]
    [InlineData("DE", "EUR", "Mars/Base", "TimeZone")]
    public void Unknown_codes_are_refused_by_field(string country, string currency, string zone, string field)
    {
        var failure = Organization.Validate(Details(country, currency, zone), AnyZone).ToFailure();
        Assert.Equal([field], failure.Errors!.Keys);
    }

    [Fact]
    public void A_name_is_required() =>
        Assert.Contains("Name", Organization.Validate(Details(name: " "), AnyZone).ToFailure().Errors!.Keys);

    [Fact]
    public void The_billing_name_defaults_to_the_name_and_may_differ()
    {
        var organization = new Organization { Name = "", BillingName = "", Country = "", Currency = "", TimeZone = "" };
        organization.Apply(Details(name: " Globex "));
        Assert.Equal("Globex", organization.BillingName);
        organization.Apply(Details(billingName: "Globex Billing GmbH"));
        Assert.Equal("Globex Billing GmbH", organization.BillingName);
        Assert.Equal("Globex", organization.Name);
    }

    [Theory]
    [InlineData("name@example.com", true)]
    [InlineData("a.b+c@sub.example.co.uk", true)]
    [InlineData("not-an-email", false)]
    [InlineData("name@", false)]
    [InlineData("name@localhost", false)]
    [InlineData("Name <name@example.com>", false)]
    [InlineData(" name@example.com", false)]
    [InlineData("", false)]
    public void Email_addresses_are_plain_addresses(string value, bool valid) => Assert.Equal(valid, EmailAddress.IsValid(value));

    [Fact]
    public void Reference_lists_hold_the_iso_codes()
    {
        Assert.True(Accrue.Domain.Reference.Countries.IsKnown("SE"));
        Assert.Equal(0, Accrue.Domain.Reference.Currencies.All["JPY"].MinorUnits);
        Assert.Equal(3, Accrue.Domain.Reference.Currencies.All["KWD"].MinorUnits);
        Assert.Equal(2, Accrue.Domain.Reference.Currencies.All["EUR"].MinorUnits);
    }
}
