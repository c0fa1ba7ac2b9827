using Accrue.Domain.Accounts;
using Accrue.Domain.Common;
using Accrue.Domain.Orders;
using Accrue.Web.Data;
using Accrue.Web.Infrastructure.Auditing;
using Accrue.Web.Infrastructure.Payments;
using Accrue.Web.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Payments;

/// <summary>
/// The organization's card on file (seed 004: "update their credit card on their account"). The card
/// goes to the gateway; Accrue keeps the gateway's token and what may be shown (brand, last four,
/// expiry), never the number (DESIGN §3, cards). One card per organization: saving replaces it.
/// </summary>
public sealed class CardOnFileCommands(AccrueDb db, IPaymentGateway gateway, TimeProvider clock)
{
    /// <summary>Stripe.js's key when the gateway takes cards in the browser; null with the sandbox.</summary>
    public string? PublishableKey => (gateway as ICardSetupGateway)?.PublishableKey;

    public Task<CardOnFile?> FindAsync(Guid organizationId, CancellationToken ct = default) =>
        db.CardsOnFile.AsNoTracking().SingleOrDefaultAsync(c => c.OrganizationId == organizationId, ct);

    /// <summary>Saves a typed card through the gateway (the sandbox; Stripe takes cards only in its own form).</summary>
    public async Task<Result<CardOnFile>> SaveAsync(Guid organizationId, CardInput card, CancellationToken ct = default)
    {
        if (await CheckAsync(ct) is { } forbidden) return forbidden;
        var organization = await db.Organizations.SingleOrDefaultAsync(o => o.Id == organizationId, ct);
        if (organization is null) return Failure.NotFound("Organization");
        var errors = card.Validate(organization.Today(clock));
        if (errors.Any) return errors.ToFailure();
        var saved = await gateway.SaveCardAsync(card, ct);
        return saved.Failed(out var refused) ? refused : await StoreAsync(organizationId, saved.Value, ct);
    }

    /// <summary>Starts saving a card in the gateway's browser form (Stripe Elements); null when the gateway takes typed cards.</summary>
    public async Task<Result<CardSetup>?> StartSetupAsync(Guid organizationId, CancellationToken ct = default)
    {
        if (gateway is not ICardSetupGateway setup) return null;
        if (await CheckAsync(ct) is { } forbidden) return forbidden;
        if (!await db.Organizations.AnyAsync(o => o.Id == organizationId, ct)) return Failure.NotFound("Organization");
        var current = await FindAsync(organizationId, ct);
        return await setup.StartCardSetupAsync(organizationId, current?.Gateway == gateway.Name ? current.Token : null, ct);
    }

    /// <summary>Keeps the card the browser confirmed with the gateway under <paramref name="setupId"/>.</summary>
    public async Task<Result<CardOnFile>> CompleteSetupAsync(Guid organizationId, string setupId, CancellationToken ct = default)
    {
        if (gateway is not ICardSetupGateway setup) return Failure.Invalid("SetupIntentId", "Enter the card details.");
        if (await CheckAsync(ct) is { } forbidden) return forbidden;
        if (!await db.Organizations.AnyAsync(o => o.Id == organizationId, ct)) return Failure.NotFound("Organization");
        if (string.IsNullOrWhiteSpace(setupId)) return Failure.Invalid("SetupIntentId", "Enter the card details.");
        var saved = await setup.CompleteCardSetupAsync(organizationId, setupId.Trim(), ct);
        return saved.Failed(out var refused) ? refused : await StoreAsync(organizationId, saved.Value, ct);
    }

    public async Task<Result<CardOnFile>> RemoveAsync(Guid organizationId, CancellationToken ct = default)
    {
        if (await CheckAsync(ct) is { } forbidden) return forbidden;
        if (!await db.Organizations.AnyAsync(o => o.Id == organizationId, ct)) return Failure.NotFound("Organization");
        var card = await db.CardsOnFile.SingleOrDefaultAsync(c => c.OrganizationId == organizationId, ct);
        if (card is null) return Failure.NotFound("Card on file");
        db.CardsOnFile.Remove(card);
        db.Audit("CardOnFile.Removed", nameof(CardOnFile), card.Id, organizationId, new { card.Brand, card.Last4 });
        await db.SaveChangesAsync(ct);
        return card;
    }

    private async Task<Result<CardOnFile>> StoreAsync(Guid organizationId, SavedCard saved, CancellationToken ct)
    {
        var card = await db.CardsOnFile.SingleOrDefaultAsync(c => c.OrganizationId == organizationId, ct);
        if (card is null)
        {
            card = new CardOnFile { OrganizationId = organizationId, Gateway = gateway.Name, Token = saved.Token, Brand = saved.Brand, Last4 = saved.Last4 };
            db.CardsOnFile.Add(card);
        }
        (card.Gateway, card.Token, card.Brand, card.Last4, card.ExpiryMonth, card.ExpiryYear) =
            (gateway.Name, saved.Token, saved.Brand, saved.Last4, saved.ExpiryMonth, saved.ExpiryYear);
        db.Audit("CardOnFile.Saved", nameof(CardOnFile), card.Id, organizationId, new { card.Brand, card.Last4 });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Two saves at once: the unique index keeps one card; the other request is told to try again.
            return Failure.Conflict("The card on file was changed at the same moment. Reload and try again.") with { Code = "concurrent_change" };
        }
        return card;
    }

    /// <summary>Owner, Manage account, staff and organization API keys: the same people who may pay (DESIGN §1).</summary>
    private async Task<Failure?> CheckAsync(CancellationToken ct)
    {
        if (!db.Actor.IsInOrganization) return db.Actor.IsStaff || db.Actor.IsOperator ? null : Failure.Forbidden("Sign in to manage the card on file.");
        return await db.ActorCanAsync(Permissions.ManageAccount, ct)
            ? null
            : Failure.Forbidden("Only the Owner and members with the Manage account permission can change the card on file.");
    }
}
