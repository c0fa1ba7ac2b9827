using Accrue.Domain.Common;
using Accrue.Domain.Reference;

namespace Accrue.Domain.Accounts;

/// <summary>A customer account (DESIGN §2).</summary>
public sealed class Organization : Entity, IOrganizationOwned
{
    public Guid OperatorId { get; set; }
    public Guid? PartnerId { get; set; }
    public required string Name { get; set; }
    /// <summary>Defaults to the name; may differ (seed 001).</summary>
    public required string BillingName { get; set; }
    public Address BillingAddress { get; set; } = new();
    public required string Country { get; set; }
    public required string Currency { get; set; }
    public required string TimeZone { get; set; }
    public BillingMode BillingMode { get; set; }
    public OrganizationStatus Status { get; set; } = OrganizationStatus.Active;
    /// <summary>Why the organization is suspended or closed, shown to its members (seed 001).</summary>
    public string? StatusReason { get; set; }
    public DateTimeOffset? StatusChangedAt { get; set; }
    /// <summary>Days a postpaid bill may stay open before it is due (seed 004: "Normal" billing).</summary>
    public int PaymentTermsDays { get; set; } = 30;
    /// <summary>The customer's choice to have automatic renewals charged to the card on file instead of the wallet or an open bill.</summary>
    public bool ChargeCardForRenewals { get; set; }
    /// <summary>Whether operator staff may open this organization's portal as one of its members; the Owner decides.</summary>
    public bool RemoteSupportEnabled { get; set; } = true;

    Guid IOrganizationOwned.OrganizationId => Id;

    public ICollection<Member> Members { get; } = [];

    /// <summary>Today in the organization's time zone: billing dates are its calendar dates (DESIGN §3).</summary>
    public DateOnly Today(TimeProvider clock) => DateOf(clock.GetUtcNow());

    /// <summary>The organization's calendar date at <paramref name="instant"/> (UTC when its zone is unknown here).</summary>
    public DateOnly DateOf(DateTimeOffset instant)
    {
        var zone = TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone, out var found) ? found : TimeZoneInfo.Utc;
        return DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, zone).DateTime);
    }

    /// <summary>
    /// The one place an organization's details are checked; the time zone check is passed in
    /// because the zone database lives outside the domain.
    /// </summary>
    public static FieldErrors Validate(OrganizationDetails details, Func<string, bool> isKnownTimeZone)
    {
        var errors = new FieldErrors()
            .Require(nameof(details.Name), details.Name, "Name")
            .Limit(nameof(details.BillingName), details.BillingName, "Billing name", 200)
            .Limit("BillingAddress.Line1", details.BillingAddress.Line1, "Address line 1", 200)
            .Limit("BillingAddress.Line2", details.BillingAddress.Line2, "Address line 2", 200)
            .Limit("BillingAddress.City", details.BillingAddress.City, "City", 100)
            .Limit("BillingAddress.Region", details.BillingAddress.Region, "Region", 100)
            .Limit("BillingAddress.PostalCode", details.BillingAddress.PostalCode, "Postal code", 20);
        if (Countries.Problem(details.Country) is { } country) errors.Add(nameof(details.Country), country);
        if (Currencies.Problem(details.Currency) is { } currency) errors.Add(nameof(details.Currency), currency);
        if (string.IsNullOrWhiteSpace(details.TimeZone)) errors.Add(nameof(details.TimeZone), "Choose a time zone.");
        else if (!isKnownTimeZone(details.TimeZone))
            errors.Add(nameof(details.TimeZone), $"“{details.TimeZone}” isn't a time zone we know. Choose one from the list (e.g. Europe/Berlin).");
        return errors;
    }

    public void Apply(OrganizationDetails details)
    {
        Name = details.Name.Trim();
        BillingName = string.IsNullOrWhiteSpace(details.BillingName) ? Name : details.BillingName.Trim();
        BillingAddress = details.BillingAddress;
        Country = details.Country;
        Currency = details.Currency;
        TimeZone = details.TimeZone;
        BillingMode = details.BillingMode;
    }
}

public sealed record OrganizationDetails(
    string Name,
    string? BillingName,
    Address BillingAddress,
    string Country,
    string Currency,
    string TimeZone,
    BillingMode BillingMode);

public sealed record Address
{
    public string? Line1 { get; init; }
    public string? Line2 { get; init; }
    public string? City { get; init; }
    public string? Region { get; init; }
    public string? PostalCode { get; init; }

    public override string ToString() =>
        string.Join(", ", new[] { Line1, Line2, City, Region, PostalCode }.Where(p => !string.IsNullOrWhiteSpace(p)));
}
