using System.Globalization;
using Accrue.Domain.Accounts;
using Accrue.Web.Data;
using Accrue.Web.Features.Wallet;
using Accrue.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Console.Organizations;

/// <summary>
/// An organization's wallet in the console: balance and history; operator staff adjust it (credit or
/// debit, with a reason) and withdraw the remaining credit so the account can be closed (seed 001).
/// </summary>
public sealed class WalletModel(AccrueDb db, WalletCommands wallet) : PageModel
{
    public Organization Organization { get; private set; } = null!;
    public WalletView? View { get; private set; }
    public string? NotPrepaid { get; private set; }
    public bool CanEdit => db.Actor.IsOperator;

    [BindProperty(SupportsGet = true)] public WalletFilterForm Filter { get; set; } = new();
    [BindProperty] public AdjustmentForm Adjustment { get; set; } = new();
    [BindProperty] public WithdrawalForm Withdrawal { get; set; } = new();

    public sealed class AdjustmentForm
    {
        public WalletDirection? Direction { get; set; }
        public decimal? Amount { get; set; }
        public string? Reason { get; set; }
    }

    public sealed class WithdrawalForm
    {
        /// <summary>Empty: the whole balance.</summary>
        public decimal? Amount { get; set; }
        public string? Reason { get; set; }
    }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct) => await LoadAsync(id, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAdjustAsync(Guid id, CancellationToken ct)
    {
        var typed = ModelState["Adjustment.Amount"]?.Errors.Count > 0;
        ModelState.Clear();
        if (!await LoadAsync(id, ct)) return NotFound();
        if (typed)
        {
            ModelState.AddModelError("Adjustment.Amount", "Enter an amount such as 10.00.");
            return Page();
        }
        var result = await wallet.AdjustAsync(id, Adjustment.Direction, Adjustment.Amount, Adjustment.Reason, ct);
        if (result.Failed(out var failure)) return failure.ToPageResult(this, "Adjustment");
        var entry = result.Value;
        TempData["Flash"] = $"{WalletText.Kind(entry.Kind)} of {Domain.Billing.Money.Format(Math.Abs(entry.Amount), entry.Currency)} recorded: the balance is now {Domain.Billing.Money.Format(entry.BalanceAfter, entry.Currency)}.";
        return Redirect($"/console/organizations/{id}/wallet");
    }

    public async Task<IActionResult> OnPostWithdrawAsync(Guid id, CancellationToken ct)
    {
        var typed = ModelState["Withdrawal.Amount"]?.Errors.Count > 0;
        ModelState.Clear();
        if (!await LoadAsync(id, ct)) return NotFound();
        if (typed)
        {
            ModelState.AddModelError("Withdrawal.Amount", "Enter an amount such as 10.00, or leave it empty to withdraw everything.");
            return Page();
        }
        var result = await wallet.WithdrawAsync(id, Withdrawal.Amount, Withdrawal.Reason, ct);
        if (result.Failed(out var failure)) return failure.ToPageResult(this, "Withdrawal");
        var entry = result.Value;
        TempData["Flash"] = $"Withdrew {Domain.Billing.Money.Format(Math.Abs(entry.Amount), entry.Currency)} (refund of remaining credit): the balance is now {Domain.Billing.Money.Format(entry.BalanceAfter, entry.Currency)}.";
        return Redirect($"/console/organizations/{id}/wallet");
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        var organization = await db.Organizations.AsNoTracking().SingleOrDefaultAsync(o => o.Id == id, ct);
        if (organization is null) return false;
        Organization = organization;
        NotPrepaid = WalletCommands.NotPrepaid(organization)?.Message;
        if (NotPrepaid is not null) return true;
        var filter = Filter.ToFilter();
        if (filter.Validate().Any) filter = new WalletFilter();
        var page = int.TryParse(Request.Query["page"], CultureInfo.InvariantCulture, out var n) ? n : 1;
        View = await WalletView.LoadAsync(db, organization, filter, page, ct);
        return true;
    }
}
