using Accrue.Domain.Accounts;
using Accrue.Web.Data;
using Accrue.Web.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Demo;

/// <summary>The demo book seeded into an empty database: one operator, one partner, three customers.</summary>
public static class DemoData
{
    public const string Password = "Accrue-demo-2026";

    public static readonly (string Who, string Email)[] SignIns =
    [
        ("Operator staff admin (console)", "admin@demo-telecom.test"),
        ("Partner staff, Northwind Resellers (console)", "staff@northwind.test"),
        ("Operator support agent, no log-in-as (console)", "support@demo-telecom.test"),
        ("Owner, Acme Prepaid Ltd (portal)", "owner@acme.test"),
        ("Admin, Acme Prepaid Ltd (portal)", "admin@acme.test"),
        ("Member, Acme Prepaid Ltd (portal)", "member@acme.test"),
        ("Owner, Globex Postpaid GmbH (portal)", "owner@globex.test"),
        ("Owner, Initech Pty (portal, under the partner)", "owner@initech.test"),
    ];

    public static async Task<bool> SeedAsync(IServiceProvider services, CancellationToken ct = default)
    {
        var db = services.GetRequiredService<AccrueDb>();
        services.GetRequiredService<CurrentActor>().Set(Actor.System with { Name = "demo seed" });
        if (await db.Operators.AnyAsync(ct)) return false;

        var users = services.GetRequiredService<UserManager<User>>();
        var clock = services.GetRequiredService<TimeProvider>();
        var demoTelecom = new Operator { Name = "Demo Telecom", SupportEmail = "support@demo-telecom.test", LogoPath = "/img/operator-logo.svg",
            LegalName = "Demo Telecom Ltd", LegalAddress = "10 Exchange Square\nLondon EC2A 2BR\nUnited Kingdom", TaxRegistration = "VAT GB 123 4567 89",
        };
        var northwind = new Partner { OperatorId = demoTelecom.Id, Name = "Northwind Resellers" };
        db.AddRange(demoTelecom, northwind);
        await db.SaveChangesAsync(ct);

        await StaffAsync("Dana Operator", "admin@demo-telecom.test", null, StaffPermissions.Impersonate | StaffPermissions.ManageStaff);
        await StaffAsync("Pat Partner", "staff@northwind.test", northwind.Id, StaffPermissions.Impersonate);
        await StaffAsync("Sam Support", "support@demo-telecom.test", null, StaffPermissions.None);

        await CustomerAsync("Acme Prepaid Ltd", "acme", BillingMode.Prepaid, "US", "USD", "America/New_York", null,
            new Address { Line1 = "1 Main Street", City = "Springfield", Region = "IL", PostalCode = "62701" });
        await CustomerAsync("Globex Postpaid GmbH", "globex", BillingMode.Postpaid, "DE", "EUR", "Europe/Berlin", null,
            new Address { Line1 = "Hauptstraße 5", City = "Berlin", PostalCode = "10115" });
        await CustomerAsync("Initech Pty", "initech", BillingMode.Prepaid, "AU", "AUD", "Australia/Sydney", northwind.Id,
            new Address { Line1 = "42 George Street", City = "Sydney", Region = "NSW", PostalCode = "2000" });
        await DemoCatalog.SeedAsync(db, demoTelecom, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime), ct);
        await DemoBills.SeedAsync(db, clock, ct);
        // Acme pays from its prepaid wallet from the start (seed 004); the opening balance is a ledger entry like any other.
        var acme = await db.Organizations.IgnoreQueryFilters().Where(o => o.Name == "Acme Prepaid Ltd").Select(o => o.Id).SingleAsync(ct);
        var opening = await new Features.Wallet.WalletLedger(db, clock).PostAsync(
            new Features.Wallet.WalletPosting(acme, Domain.Wallets.WalletEntryKind.Adjustment, 250.00m, "Opening balance") { UniqueKey = "demo:opening", Reason = "Demo data" }, ct);
        if (opening.Failed(out var failure)) throw new InvalidOperationException(failure.Message);
        await DemoSupport.SeedAsync(db, clock, ct);
        return true;

        async Task<User> UserAsync(string name, string email, UserKind kind, Guid? partnerId, Guid? organizationId, StaffPermissions permissions = StaffPermissions.None)
        {
            var user = new User
            {
                UserName = email, Email = email, EmailConfirmed = true, DisplayName = name, Kind = kind,
                PartnerId = partnerId, OrganizationId = organizationId, CreatedAt = clock.GetUtcNow(), StaffPermissions = permissions,
            };
            var result = await users.CreateAsync(user, Password);
            if (!result.Succeeded) throw new InvalidOperationException(string.Join(" ", result.Errors.Select(e => e.Description)));
            return user;
        }

        Task<User> StaffAsync(string name, string email, Guid? partnerId, StaffPermissions permissions) => UserAsync(name, email, UserKind.Staff, partnerId, null, permissions);

        async Task CustomerAsync(string name, string slug, BillingMode mode, string country, string currency, string zone, Guid? partnerId, Address address)
        {
            var organization = new Organization
            {
                OperatorId = demoTelecom.Id, PartnerId = partnerId, Name = name, BillingName = name, BillingAddress = address,
                Country = country, Currency = currency, TimeZone = zone, BillingMode = mode,
            };
            db.Organizations.Add(organization);
            await db.SaveChangesAsync(ct);
            var title = System.Globalization.CultureInfo.InvariantCulture.TextInfo.ToTitleCase(slug);

            var owner = await UserAsync($"Olivia Owner ({title})", $"owner@{slug}.test", UserKind.Member, null, organization.Id);
            db.Members.Add(Member.CreateOwner(organization.Id, owner.Id, owner.DisplayName, owner.Email!));
            var admin = await UserAsync($"Adam Admin ({title})", $"admin@{slug}.test", UserKind.Member, null, organization.Id);
            var adminMember = new Member { OrganizationId = organization.Id, UserId = admin.Id, Name = admin.DisplayName, Email = admin.Email!, PermissionSetId = PermissionSet.AdministratorId };
            adminMember.ChangeRole(MemberRole.Admin);
            var member = await UserAsync($"Mia Member ({title})", $"member@{slug}.test", UserKind.Member, null, organization.Id);
            var sales = new Department { OrganizationId = organization.Id, Name = "Sales" };
            db.Departments.Add(sales);
            db.Members.AddRange(adminMember, new Member { OrganizationId = organization.Id, UserId = member.Id, Name = member.DisplayName, Email = member.Email!, PermissionSetId = PermissionSet.StandardId, DepartmentId = sales.Id });
            await db.SaveChangesAsync(ct);
        }
    }
}
