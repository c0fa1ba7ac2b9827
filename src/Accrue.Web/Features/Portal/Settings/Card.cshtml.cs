using Accrue.Domain.Accounts;
using Accrue.Domain.Common;
using Accrue.Domain.Orders;
using Accrue.Web.Features.Orders;
using Accrue.Web.Features.Payments;
using Accrue.Web.Features.Shared;
using Accrue.Web.Infrastructure.Payments;
using Accrue.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Accrue.Web.Features.Portal.Settings;

/// <summary>
/// Settings → Card on file (seed 004): shows the saved card (brand, last four, expiry), replaces or
/// removes it. With the sandbox the card is typed here; with Stripe it is typed in Stripe's own
/// fields (Elements) and only the confirmed setup's id is posted back.
/// </summary>
[RequirePermission(Permissions.ManageAccount)]
[NotDuringRemoteSupport("the card on file", IncludeGet = true)]
public sealed class CardModel(CardOnFileCommands cards, PortalContext portal, TimeProvider clock) : PageModel
{
    public CardOnFile? Current { get; private set; }
    public bool Expired { get; private set; }
    /// <summary>Set in Stripe mode: the browser confirms the card with Stripe under this setup.</summary>
    public CardSetup? Setup { get; private set; }
    public string? PublishableKey { get; private set; }

    [BindProperty] public CardForm Card { get; set; } = new();
    [BindProperty] public string? SetupIntentId { get; set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var organization = await portal.OrganizationAsync();
        ModelState.Clear();
        var saved = await cards.SaveAsync(organization.Id, Card.ToInput(), ct);
        return await AnswerAsync(saved, ct);
    }

    public async Task<IActionResult> OnPostSetupAsync(CancellationToken ct)
    {
        var organization = await portal.OrganizationAsync();
        ModelState.Clear();
        var saved = await cards.CompleteSetupAsync(organization.Id, SetupIntentId ?? "", ct);
        return await AnswerAsync(saved, ct);
    }

    public async Task<IActionResult> OnPostRemoveAsync(CancellationToken ct)
    {
        var organization = await portal.OrganizationAsync();
        var removed = await cards.RemoveAsync(organization.Id, ct);
        if (removed.Failed(out var failure)) return await ShowAsync(failure, ct);
        TempData["Flash"] = $"The {removed.Value} was removed from your account.";
        return RedirectToPage();
    }

    private async Task<IActionResult> AnswerAsync(Result<CardOnFile> saved, CancellationToken ct)
    {
        if (saved.Failed(out var failure)) return await ShowAsync(failure, ct);
        var card = saved.Value;
        TempData["Flash"] = $"Saved: {card} (expires {card.ExpiryMonth:D2}/{card.ExpiryYear}) is your card on file.";
        return RedirectToPage();
    }

    private async Task<IActionResult> ShowAsync(Failure failure, CancellationToken ct)
    {
        if (failure.Kind == FailureKind.Forbidden) Response.StatusCode = StatusCodes.Status403Forbidden;
        failure.AddTo(ModelState, "");
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var organization = await portal.OrganizationAsync();
        Current = await cards.FindAsync(organization.Id, ct);
        Expired = Current?.IsExpired(organization.Today(clock)) == true;
        if (await cards.StartSetupAsync(organization.Id, ct) is { } setup)
        {
            if (setup.Failed(out var failure)) failure.AddTo(ModelState, "");
            else (Setup, PublishableKey) = (setup.Value, cards.PublishableKey);
        }
        Card = new CardForm();
    }
}
