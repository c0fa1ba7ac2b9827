using Accrue.Domain.Accounts;
using Accrue.Domain.Common;
using Accrue.Domain.Invoices;
using Accrue.Domain.Subscriptions;
using Accrue.Web.Data;
using Accrue.Web.Features.Members;
using Accrue.Web.Features.Wallet;
using Accrue.Web.Infrastructure.Auditing;
using Accrue.Web.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Organizations;

/// <summary>What the console form, the API and tests send to create or edit an organization.</summary>
public record OrganizationInput
{
    public string Name { get; init; } = "";
    public string? BillingName { get; init; }
    public Address BillingAddress { get; init; } = new();
    public string Country { get; init; } = "";
    public string Currency { get; init; } = "";
    public string TimeZone { get; init; } = "";
    public BillingMode BillingMode { get; init; }
    /// <summary>Days a postpaid bill may stay open (0–365); null keeps the current terms (30 for a new organization).</summary>
    public int? PaymentTermsDays { get; init; }
    /// <summary>Operator staff choose; partner staff always create under their own partner.</summary>
    public Guid? PartnerId { get; init; }

    public OrganizationDetails ToDetails() => new(Name?.Trim() ?? "", BillingName, BillingAddress ?? new(), Country?.Trim().ToUpperInvariant() ?? "", Currency?.Trim().ToUpperInvariant() ?? "", TimeZone?.Trim() ?? "", BillingMode);
}

public sealed class OrganizationCommands(AccrueDb db, MemberCommands members, WalletLedger wallets, TimeProvider clock)
{
    public static bool IsKnownTimeZone(string id) => TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) && zone.HasIanaId;

    /// <summary>Creates the organization with its Owner, who is invited by email to set a password.</summary>
    public async Task<Result<Organization>> CreateAsync(OrganizationInput input, NewOwnerInput owner, CancellationToken ct = default)
    {
        var actor = db.Actor;
        if (!actor.IsStaff && !actor.IsOperator) return Failure.Forbidden("Only operator or partner staff create organizations.");

        var details = input.ToDetails();
        var errors = Organization.Validate(details, IsKnownTimeZone);
        CheckPaymentTerms(errors, input.PaymentTermsDays);
        MemberCommands.ValidateContact(errors, owner.Name, owner.Email, "Owner.");
        var partnerId = actor.PartnerId ?? input.PartnerId;
        if (actor.PartnerId is null && partnerId is { } pid && !await db.Partners.AnyAsync(p => p.Id == pid, ct))
            errors.Add(nameof(input.PartnerId), "Unknown partner.");
        if (errors.Any) return errors.ToFailure();

        var operatorId = await db.Operators.Select(o => o.Id).FirstAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var organization = new Organization { OperatorId = operatorId, PartnerId = partnerId, Name = "", BillingName = "", Country = "", Currency = "", TimeZone = "" };
        organization.Apply(details);
        organization.PaymentTermsDays = input.PaymentTermsDays ?? organization.PaymentTermsDays;
        db.Organizations.Add(organization);
        await db.SaveChangesAsync(ct);

        var added = await members.AddOwnerAsync(organization, owner, ct);
        if (added.Failed(out var failure)) return failure;
        await transaction.CommitAsync(ct);
        return organization;
    }

    public async Task<Result<Organization>> UpdateAsync(Guid id, OrganizationInput input, CancellationToken ct = default)
    {
        var organization = await db.Organizations.SingleOrDefaultAsync(o => o.Id == id, ct);
        if (organization is null) return Failure.NotFound("Organization");
        if (db.Actor.IsInOrganization && !await db.ActorCanAsync(Permissions.ManageAccount, ct))
            return Failure.Forbidden("You need the Manage account permission to change the organization's details.");

        var details = input.ToDetails();
        var errors = Organization.Validate(details, IsKnownTimeZone);
        CheckPaymentTerms(errors, input.PaymentTermsDays);
        if (errors.Any) return errors.ToFailure();
        if (details.Currency != organization.Currency && await CurrencyRefusalAsync(organization, details.Currency, ct) is { } locked) return locked;
        organization.Apply(details);
        organization.PaymentTermsDays = input.PaymentTermsDays ?? organization.PaymentTermsDays;
        await db.SaveChangesAsync(ct);
        return organization;
    }

    public Task<Result<Organization>> SuspendAsync(Guid id, string? reason, CancellationToken ct = default) =>
        ChangeStatusAsync(id, OrganizationStatus.Suspended, reason, ct);

    /// <summary>Closes the account; its rows are kept and the operator can reactivate it.</summary>
    public Task<Result<Organization>> CloseAsync(Guid id, string? reason, CancellationToken ct = default) =>
        ChangeStatusAsync(id, OrganizationStatus.Closed, reason, ct);

    public Task<Result<Organization>> ReactivateAsync(Guid id, string? reason, CancellationToken ct = default) =>
        ChangeStatusAsync(id, OrganizationStatus.Active, reason, ct);

    /// <summary>
    /// Operator and partner staff (partner staff see only their partner's organizations) change an
    /// account's status under <see cref="AccountClosure"/>: suspending or closing is refused, writing
    /// nothing, while the wallet holds money or a bill is open.
    /// </summary>
    private async Task<Result<Organization>> ChangeStatusAsync(Guid id, OrganizationStatus to, string? reason, CancellationToken ct)
    {
        if (!db.Actor.IsStaff && !db.Actor.IsOperator) return Failure.Forbidden("Only operator or partner staff change an organization's status.");
        var organization = await db.Organizations.SingleOrDefaultAsync(o => o.Id == id, ct);
        if (organization is null) return Failure.NotFound("Organization");

        var blockers = to == OrganizationStatus.Active ? [] : await BlockersAsync(organization, ct);
        var before = organization.Status;
        if (AccountClosure.ChangeStatus(organization, to, reason, blockers, clock.GetUtcNow()) is { } failure) return failure;
        var action = to switch
        {
            OrganizationStatus.Suspended => "Organization.Suspended",
            OrganizationStatus.Closed => "Organization.Closed",
            _ => "Organization.Reactivated",
        };
        db.Audit(action, nameof(Organization), organization.Id, organization.Id, new { From = before.ToString(), To = to.ToString(), Reason = organization.StatusReason });
        await db.SaveChangesAsync(ct);
        return organization;
    }

    private static void CheckPaymentTerms(FieldErrors errors, int? days)
    {
        if (days is < 0 or > 365) errors.Add(nameof(OrganizationInput.PaymentTermsDays), "Payment terms are between 0 and 365 days.");
    }

    private async Task<Failure?> CurrencyRefusalAsync(Organization organization, string currency, CancellationToken ct)
    {
        var live = await db.Subscriptions.IgnoreQueryFilters().CountAsync(s => s.OrganizationId == organization.Id
            && s.Status != SubscriptionStatus.Cancelled && s.Status != SubscriptionStatus.Expired, ct);
        var wallet = await wallets.FindAsync(organization.Id, ct);
        var units = await db.UnitBalances.IgnoreQueryFilters().Where(u => u.OrganizationId == organization.Id && u.Balance > 0)
            .Select(u => new { u.Meter, u.Balance }).ToListAsync(ct);
        return CurrencyChange.Refusal(organization, currency, live, wallet?.Balance ?? 0m, await OpenBillsAsync(organization, ct),
            units.Select(u => (u.Meter, u.Balance)));
    }

    private Task<List<OutstandingBill>> OpenBillsAsync(Organization organization, CancellationToken ct) =>
        db.Invoices.IgnoreQueryFilters().AsNoTracking()
            .Where(i => i.OrganizationId == organization.Id && i.Kind == InvoiceKind.Invoice && i.Status == InvoiceStatus.Open)
            .Select(i => new OutstandingBill(i.Number, i.Currency, i.Total))
            .ToListAsync(ct);

    /// <summary>Why the organization can't be suspended or closed now: money left in its wallet, bills left open.</summary>
    public async Task<IReadOnlyList<string>> BlockersAsync(Organization organization, CancellationToken ct = default)
    {
        var wallet = await wallets.FindAsync(organization.Id, ct);
        return AccountClosure.Blockers(wallet?.Balance ?? 0m, wallet?.Currency ?? organization.Currency, await OpenBillsAsync(organization, ct));
    }
}
