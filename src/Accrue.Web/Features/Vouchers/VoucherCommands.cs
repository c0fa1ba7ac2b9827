using System.Security.Cryptography;
using Accrue.Domain.Accounts;
using Accrue.Domain.Billing;
using Accrue.Domain.Common;
using Accrue.Domain.Orders;
using Accrue.Domain.Reference;
using Accrue.Domain.Usage;
using Accrue.Domain.Vouchers;
using Accrue.Domain.Wallets;
using Accrue.Web.Data;
using Accrue.Web.Features.Orders;
using Accrue.Web.Features.Usage;
using Accrue.Web.Features.Wallet;
using Accrue.Web.Features.Webhooks;
using Accrue.Web.Infrastructure.Auditing;
using Accrue.Web.Infrastructure.Payments;
using Accrue.Web.Infrastructure.Tenancy;
using Accrue.Web.Infrastructure.Web;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Accrue.Web.Features.Vouchers;

/// <summary>How many wrong codes are tolerated before redemption is refused for a while ("Vouchers" in configuration).</summary>
public sealed class VoucherOptions
{
    public int MaxFailuresPerOrganization { get; set; } = 5;
    public int MaxFailuresPerIp { get; set; } = 20;
    public int FailureWindowMinutes { get; set; } = 15;
}

/// <summary>A new batch as the operator fills it in: a value EITHER as wallet credit OR as units of a meter.</summary>
public sealed class VoucherBatchInput
{
    public string? Name { get; set; }
    public VoucherKind? Kind { get; set; }
    public decimal? Amount { get; set; }
    public string? Currency { get; set; }
    public long? Units { get; set; }
    public string? Meter { get; set; }
    public int? Count { get; set; }
    public DateOnly? ExpiresOn { get; set; }
    public decimal? Price { get; set; }
    public string? PriceCurrency { get; set; }
}

/// <summary>A batch with how many of its codes are still available, sold and redeemed.</summary>
public sealed record BatchSummary(VoucherBatch Batch, int Available, int Sold, int Redeemed)
{
    public string Value => VoucherText.Value(Batch);
}

/// <summary>What a purchase of online vouchers did; <see cref="Codes"/> are shown this once, then only masked.</summary>
public sealed record VoucherPurchase(Order Order, Payment? Payment, IReadOnlyList<string> Codes);

/// <summary>A redeemed code and what it gave: wallet credit (<see cref="Amount"/> in <see cref="Currency"/>) or <see cref="Units"/> of a meter.</summary>
public sealed record Redemption(string Code, string Credited, decimal? Amount, string? Currency, long? Units, string? Meter, decimal? WalletBalance, long? UnitBalance);

public static class VoucherText
{
    public static string Value(VoucherBatch b) =>
        b.Amount is { } amount ? $"{Money.Format(amount, b.Currency!)} wallet credit" : $"{b.Units:N0} {b.Meter} units";
}

/// <summary>
/// Vouchers (seed 004): the operator issues batches of single-use codes, print (exported for a print
/// house) or online (bought in the portal); customers redeem a code for wallet credit or units. A code
/// redeems once — a conditional update only one request can win — and wrong codes are rate-limited.
/// </summary>
public sealed class VoucherCommands(
    AccrueDb db, OrderCommands orders, WalletLedger wallet, UnitLedger units,
    IOptions<VoucherOptions> options, TimeProvider clock, ILogger<VoucherCommands> logger, VoucherSheet sheet, CheckoutPayments checkout)
{
    public const int MaxCount = 10_000;
    public const int MaxPurchase = 100;
    public const string NoTaxNote = "Vouchers are prepaid instruments: no tax is charged when they are bought; tax applies when the credit is spent.";

    public async Task<Result<VoucherBatch>> CreateBatchAsync(VoucherBatchInput input, CancellationToken ct = default)
    {
        if (!db.Actor.IsOperator) return Failure.Forbidden("Only the operator's staff issue vouchers.");
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var errors = new FieldErrors().Require(nameof(input.Name), input.Name, "Name");
        if (input.Kind is null) errors.Add(nameof(input.Kind), "Choose Online or Print.");
        var hasAmount = input.Amount is not null || !string.IsNullOrWhiteSpace(input.Currency);
        var hasUnits = input.Units is not null || !string.IsNullOrWhiteSpace(input.Meter);
        string? currency = input.Currency?.Trim().ToUpperInvariant(), meter = null;
        if (hasAmount == hasUnits)
            errors.Add(nameof(input.Amount), "Give the voucher a value: EITHER an amount and currency (wallet credit) OR units of a meter, not both.");
        else if (hasAmount)
        {
            if (currency is null || !Currencies.All.ContainsKey(currency)) errors.Add(nameof(input.Currency), "Choose a known currency (ISO code such as USD).");
            else if (input.Amount is not { } amount) errors.Add(nameof(input.Amount), "Enter the amount of wallet credit.");
            else foreach (var (field, messages) in Domain.Wallets.Wallet.ValidateAmount(amount, currency).ToFailure().Errors ?? new Dictionary<string, string[]>())
                foreach (var message in messages) errors.Add(field, message);
        }
        else
        {
            if (input.Units is not > 0) errors.Add(nameof(input.Units), "Enter a whole number of units above zero.");
            meter = await MeterAsync(input.Meter, ct);
            if (meter is null) errors.Add(nameof(input.Meter), $"There is no meter \"{input.Meter?.Trim()}\".");
        }
        if (input.Count is not (>= 1 and <= MaxCount)) errors.Add(nameof(input.Count), $"The number of codes must be between 1 and {MaxCount:N0}.");
        if (input.ExpiresOn is not { } expires || expires <= today) errors.Add(nameof(input.ExpiresOn), "The expiry date must be after today.");
        decimal? price = null;
        string? priceCurrency = null;
        if (input.Kind == VoucherKind.Online)
        {
            priceCurrency = string.IsNullOrWhiteSpace(input.PriceCurrency) ? currency : input.PriceCurrency.Trim().ToUpperInvariant();
            price = input.Price ?? (hasAmount ? input.Amount : null);
            if (priceCurrency is null || !Currencies.All.ContainsKey(priceCurrency)) errors.Add(nameof(input.PriceCurrency), "Choose the currency online vouchers are sold in.");
            if (price is not { } p || p <= 0) errors.Add(nameof(input.Price), "Enter the price an online voucher is sold for.");
            else if (priceCurrency is not null && Currencies.All.ContainsKey(priceCurrency) && Money.Round(p, priceCurrency) != p) errors.Add(nameof(input.Price), $"{priceCurrency} prices have at most {Money.MinorUnits(priceCurrency)} decimals.");
        }
        if (errors.Any) return errors.ToFailure();

        var batch = new VoucherBatch
        {
            OperatorId = await db.Operators.Select(o => o.Id).FirstAsync(ct), Name = input.Name!.Trim(), Kind = input.Kind!.Value,
            Amount = hasAmount ? input.Amount : null, Currency = hasAmount ? currency : null, Units = hasUnits ? input.Units : null, Meter = meter,
            Price = price, PriceCurrency = priceCurrency, Count = input.Count!.Value, ExpiresOn = input.ExpiresOn!.Value,
        };
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        db.VoucherBatches.Add(batch);
        var codes = new HashSet<string>(StringComparer.Ordinal);
        while (codes.Count < batch.Count) codes.Add(NewCode());
        // 80 random bits: a clash with an earlier batch is astronomically rare, but the unique index would catch it; draw again.
        for (var clash = await ExistingAsync(codes, ct); clash.Count > 0; clash = await ExistingAsync(codes, ct))
            foreach (var code in clash)
            {
                codes.Remove(code);
                while (!codes.Add(NewCode())) { }
            }
        db.Vouchers.AddRange(codes.Select(code => new Voucher { BatchId = batch.Id, Code = code, Status = VoucherStatus.Available }));
        db.Audit("VoucherBatch.Created", nameof(VoucherBatch), batch.Id, null, new { batch.Name, Kind = batch.Kind.ToString(), batch.Count, Value = VoucherText.Value(batch) });
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return batch;
    }

    /// <summary>Batches, newest first, with their counts by status (operator only).</summary>
    public async Task<List<BatchSummary>> BatchesAsync(CancellationToken ct = default)
    {
        if (!db.Actor.IsOperator) return [];
        var batches = await db.VoucherBatches.AsNoTracking().OrderByDescending(b => b.Id).ToListAsync(ct);
        var counts = await db.Vouchers.GroupBy(v => new { v.BatchId, v.Status }).Select(g => new { g.Key.BatchId, g.Key.Status, Count = g.Count() }).ToListAsync(ct);
        return batches.Select(b => Summary(b, counts.Where(c => c.BatchId == b.Id).ToDictionary(c => c.Status, c => c.Count))).ToList();
    }

    public async Task<(BatchSummary Summary, List<Voucher> Codes)?> BatchAsync(Guid id, CancellationToken ct = default)
    {
        if (!db.Actor.IsOperator) return null;
        var batch = await db.VoucherBatches.AsNoTracking().SingleOrDefaultAsync(b => b.Id == id, ct);
        if (batch is null) return null;
        var codes = await db.Vouchers.AsNoTracking().Where(v => v.BatchId == id).OrderBy(v => v.Id).ToListAsync(ct);
        return (Summary(batch, codes.GroupBy(v => v.Status).ToDictionary(g => g.Key, g => g.Count())), codes);
    }

    /// <summary>Marks a print batch exported for the print house (audited) and returns its codes.</summary>
    public async Task<Result<(VoucherBatch Batch, List<Voucher> Codes)>> ExportAsync(Guid id, string format, CancellationToken ct = default)
    {
        if (!db.Actor.IsOperator) return Failure.Forbidden("Only the operator's staff export vouchers.");
        var batch = await db.VoucherBatches.SingleOrDefaultAsync(b => b.Id == id, ct);
        if (batch is null) return Failure.NotFound("Voucher batch");
        if (batch.Kind != VoucherKind.Print) return Failure.Conflict("Online vouchers are sold in the portal; only print batches are exported.");
        batch.ExportedAt = clock.GetUtcNow();
        db.Audit("VoucherBatch.Exported", nameof(VoucherBatch), batch.Id, null, new { batch.Name, batch.Count, Format = format });
        await db.SaveChangesAsync(ct);
        var codes = await db.Vouchers.AsNoTracking().Where(v => v.BatchId == id).OrderBy(v => v.Id).ToListAsync(ct);
        return (batch, codes);
    }

    /// <summary>A print batch's A4 sheet of cut-out cards for the print house, issued in the operator's name; marks the batch exported like <see cref="ExportAsync"/>.</summary>
    public async Task<Result<(VoucherBatch Batch, byte[] Pdf)>> PrintSheetAsync(Guid id, CancellationToken ct = default)
    {
        var result = await ExportAsync(id, "pdf", ct);
        if (result.Failed(out var failure)) return failure;
        var (batch, codes) = result.Value;
        var issuer = await db.Operators.Where(o => o.Id == batch.OperatorId).Select(o => o.Name).SingleAsync(ct);
        return (batch, sheet.Pdf(batch, codes, issuer));
    }

    /// <summary>Online batches a customer can buy now: not expired, priced in the organization's currency, with codes left.</summary>
    public async Task<List<BatchSummary>> OnSaleAsync(Organization organization, CancellationToken ct = default)
    {
        var today = organization.Today(clock);
        var batches = await db.VoucherBatches.AsNoTracking()
            .Where(b => b.Kind == VoucherKind.Online && b.ExpiresOn >= today && b.PriceCurrency == organization.Currency)
            .OrderBy(b => b.Name).ToListAsync(ct);
        var ids = batches.Select(b => b.Id).ToList();
        var available = await db.Vouchers.Where(v => ids.Contains(v.BatchId) && v.Status == VoucherStatus.Available)
            .GroupBy(v => v.BatchId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        return batches.Select(b => new BatchSummary(b, available.GetValueOrDefault(b.Id), 0, 0)).Where(s => s.Available > 0).ToList();
    }

    /// <summary>The vouchers an organization bought, newest first.</summary>
    public async Task<List<(Voucher Voucher, VoucherBatch Batch)>> BoughtAsync(Guid organizationId, CancellationToken ct = default)
    {
        if (!await db.Organizations.AnyAsync(o => o.Id == organizationId, ct)) return [];
        var rows = await (from v in db.Vouchers.AsNoTracking()
                          join b in db.VoucherBatches.AsNoTracking() on v.BatchId equals b.Id
                          where v.SoldToOrganizationId == organizationId
                          orderby v.Id descending
                          select new { v, b }).ToListAsync(ct);
        return rows.Select(r => (r.v, r.b)).ToList();
    }

    /// <summary>
    /// Buys <paramref name="quantity"/> online vouchers of a batch by card: an order of type Voucher,
    /// placed and paid like every purchase; fulfilment assigns the codes. No tax (see <see cref="NoTaxNote"/>).
    /// </summary>
    public Task<Result<VoucherPurchase>> BuyAsync(Guid organizationId, Guid batchId, int quantity, CardInput card, bool acknowledged, CancellationToken ct = default) =>
        BuyAsync(organizationId, batchId, quantity, null, card, acknowledged, ct);

    /// <summary>
    /// Buys online vouchers and pays the order the way the customer chose (issue 15 B15): the wallet (when it
    /// holds the total), the card on file, a new card, or on account for a postpaid organization. The method
    /// and the card are checked against the real total before the order is written. Without a method (the API)
    /// a postpaid organization's order is billed on account and a prepaid one's paid with <paramref name="card"/>, as before.
    /// </summary>
    public async Task<Result<VoucherPurchase>> BuyAsync(Guid organizationId, Guid batchId, int quantity, PaymentMethod? method, CardInput card, bool acknowledged, CancellationToken ct = default)
    {
        if (await orders.CheckBuyerAsync(acknowledged, ct) is { } forbidden) return forbidden;
        var organization = await db.Organizations.AsNoTracking().SingleOrDefaultAsync(o => o.Id == organizationId, ct);
        if (organization is null) return Failure.NotFound("Organization");
        var batch = await db.VoucherBatches.AsNoTracking().SingleOrDefaultAsync(b => b.Id == batchId && b.Kind == VoucherKind.Online, ct);
        if (batch is null) return Failure.Invalid("BatchId", "Choose one of the vouchers on sale.");
        var today = organization.Today(clock);
        if (batch.ExpiresOn < today) return Failure.Invalid("BatchId", "These vouchers have expired and are no longer sold.");
        if (quantity is < 1 or > MaxPurchase) return Failure.Invalid("Quantity", $"Buy between 1 and {MaxPurchase} vouchers at a time.");
        var left = await db.Vouchers.CountAsync(v => v.BatchId == batchId && v.Status == VoucherStatus.Available, ct);
        if (left < quantity) return Failure.Invalid("Quantity", left == 0 ? "These vouchers are sold out." : $"Only {left} of these vouchers are left.");
        var quote = new QuoteBuilder(batch.PriceCurrency!, 0m).Add($"{batch.Name} ({VoucherText.Value(batch)}, valid until {batch.ExpiresOn:yyyy-MM-dd})", quantity, batch.Price!.Value, quantity * batch.Price.Value, null).Build();
        // The method and the card are checked before the order is written, so a mistake leaves no order behind.
        var offered = await checkout.OptionsAsync(organization, quote.Total, quote.Currency, ct);
        var chosen = method ?? (organization.BillingMode == BillingMode.Postpaid ? PaymentMethod.OnAccount : PaymentMethod.NewCard);
        if (CheckoutPayments.Refusal(offered, chosen, card, today) is { } refused) return refused;

        var purchase = new Purchase(organization.Id, OrderType.Voucher, quote, quantity, quantity == 1 ? "voucher" : "vouchers",
            $"{quantity} × {batch.Name}", new Fulfilment { VoucherBatchId = batch.Id, Quantity = quantity }, NoTaxNote);
        var placed = await orders.PlaceAsync(purchase, acknowledged, billOnAccount: chosen == PaymentMethod.OnAccount, ct);
        if (placed.Failed(out var notPlaced)) return notPlaced;
        var order = placed.Value;
        Payment? payment = null;
        if (order.Status != OrderStatus.Succeeded)
        {
            var paid = await checkout.PayAsync(order.Id, chosen, card, ct);
            if (paid.Failed(out var notPaid)) return notPaid;
            (order, payment) = paid.Value;
        }
        var codes = await db.Vouchers.AsNoTracking().Where(v => v.OrderId == order.Id).OrderBy(v => v.Id).Select(v => v.Code).ToListAsync(ct);
        return new VoucherPurchase(order, payment, codes);
    }

    /// <summary>
    /// Redeems a code for an organization: wallet credit (prepaid organizations, in their currency) or
    /// units. Wrong codes are counted per organization and per IP; past the limit the code isn't even checked.
    /// </summary>
    public async Task<Result<Redemption>> RedeemAsync(Guid organizationId, string? input, CancellationToken ct = default)
    {
        var organization = await db.Organizations.AsNoTracking().SingleOrDefaultAsync(o => o.Id == organizationId, ct);
        if (organization is null) return Failure.NotFound("Organization");
        if (db.Actor.IsInOrganization && !await db.ActorCanAsync(Permissions.ManageAccount, ct))
            return Failure.Forbidden("Only the Owner and members with the Manage account permission can redeem vouchers.");
        if (!db.Actor.IsInOrganization && !db.Actor.IsStaff && !db.Actor.IsOperator) return Failure.Forbidden("Sign in to redeem a voucher.");
        // The attempt is written (and committed) before anything is checked, so concurrent requests see
        // each other: the n-th attempt to commit counts at least n-1 others, and at most the limit get
        // through a burst. Only a code that doesn't exist keeps its attempt; a used or expired code, a
        // refusal and a success take theirs back, so a retried or raced redeem never locks anyone out.
        var attempt = new VoucherAttempt { OrganizationId = organizationId, Ip = db.Actor.Ip ?? "unknown", At = clock.GetUtcNow() };
        db.VoucherAttempts.Add(attempt);
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
        var result = await CheckAndRedeemAsync(organization, attempt, input, ct);
        if (result.Failure?.Code != UnknownCode)
            await db.VoucherAttempts.Where(a => a.Id == attempt.Id).ExecuteDeleteAsync(CancellationToken.None);
        return result;
    }

    private const string UnknownCode = "voucher_code_unknown";

    private async Task<Result<Redemption>> CheckAndRedeemAsync(Organization organization, VoucherAttempt attempt, string? input, CancellationToken ct)
    {
        var organizationId = organization.Id;
        if (await ThrottledAsync(attempt, ct) is { } throttled) return throttled;

        var code = VoucherCode.Normalize(input);
        if (!VoucherCode.IsWellFormed(code)) return Unknown();
        var found = await (from v in db.Vouchers.AsNoTracking()
                           join b in db.VoucherBatches.AsNoTracking() on v.BatchId equals b.Id
                           where v.Code == code
                           select new { v, b }).SingleOrDefaultAsync(ct);
        // An online code nobody bought yet was never handed out: as unknown as a made-up one.
        if (found is null || (found.b.Kind == VoucherKind.Online && found.v.Status == VoucherStatus.Available))
            return Unknown();
        var (voucher, batch) = (found.v, found.b);
        var today = organization.Today(clock);
        if (voucher.Status == VoucherStatus.Redeemed) return Used($"This code was already used on {voucher.RedeemedAt:yyyy-MM-dd}.");
        if (batch.ExpiresOn < today) return Failure.Invalid("Code", $"This code expired on {batch.ExpiresOn:yyyy-MM-dd}.") with { Code = "voucher_expired" };
        if (batch.Amount is not null && organization.BillingMode != BillingMode.Prepaid)
            return Failure.Conflict("This voucher gives wallet credit, and only prepaid accounts have a wallet. Your account is billed by invoice.") with { Code = "voucher_needs_wallet" };
        if (batch.Amount is not null && batch.Currency != organization.Currency)
            return Failure.Conflict($"This voucher is worth {Money.Format(batch.Amount.Value, batch.Currency!)}, but your wallet is in {organization.Currency}.") with { Code = "voucher_currency_mismatch" };

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var now = clock.GetUtcNow();
        var by = db.Actor.Name;
        // The one step that decides who gets the code: only one update can move it to Redeemed.
        var won = await db.Vouchers
            .Where(v => v.Id == voucher.Id && v.Status != VoucherStatus.Redeemed && db.VoucherBatches.Any(b => b.Id == v.BatchId && b.ExpiresOn >= today))
            .ExecuteUpdateAsync(s => s.SetProperty(v => v.Status, VoucherStatus.Redeemed).SetProperty(v => v.RedeemedByOrganizationId, organizationId)
                .SetProperty(v => v.RedeemedAt, now).SetProperty(v => v.RedeemedBy, by).SetProperty(v => v.UpdatedAt, now).SetProperty(v => v.UpdatedBy, by), ct);
        if (won == 0)
        {
            await transaction.RollbackAsync(ct);
            return Used("This code was already used.");
        }
        var key = $"voucher:{code}";
        var description = $"Voucher {VoucherCode.Mask(code)} ({batch.Name})";
        Redemption redemption;
        if (batch.Amount is { } amount)
        {
            var posted = await wallet.PostAsync(new WalletPosting(organizationId, WalletEntryKind.Voucher, amount, description) { UniqueKey = key }, ct);
            if (posted.Failed(out var failure))
            {
                await transaction.RollbackAsync(ct);
                return failure;
            }
            redemption = new Redemption(code, Money.Format(amount, batch.Currency!), amount, batch.Currency, null, null, posted.Value.BalanceAfter, null);
        }
        else
        {
            var entry = await units.CreditAsync(organizationId, batch.Meter!, UnitEntryKind.Voucher, batch.Units!.Value, description, key, ct: ct);
            redemption = new Redemption(code, $"{batch.Units:N0} {batch.Meter} units", null, null, batch.Units, batch.Meter, null, entry.BalanceAfter);
        }
        db.Audit("Voucher.Redeemed", nameof(Voucher), voucher.Id, organizationId, new { Code = VoucherCode.Mask(code), Batch = batch.Name, redemption.Credited });
        await db.PublishWebhookAsync(organizationId, WebhookEvents.VoucherRedeemed,
            new VoucherRedeemedEvent(voucher.Id, VoucherCode.Mask(code), batch.Name, redemption.Amount.ToAmount(redemption.Currency), redemption.Currency,
                redemption.Units, redemption.Meter, redemption.WalletBalance.ToAmount(redemption.Currency), redemption.UnitBalance), ct);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        logger.LogInformation("Voucher {Code} redeemed by organization {Organization}", VoucherCode.Mask(code), organizationId);
        return redemption;
    }

    /// <summary>Refused when the attempts in the window, this one excluded, already reach a limit.</summary>
    private async Task<Failure?> ThrottledAsync(VoucherAttempt attempt, CancellationToken ct)
    {
        var o = options.Value;
        var now = clock.GetUtcNow();
        var since = now.AddMinutes(-o.FailureWindowMinutes);
        var others = db.VoucherAttempts.Where(a => a.Id != attempt.Id && a.At > since);
        var byOrganization = await others.Where(a => a.OrganizationId == attempt.OrganizationId).Select(a => a.At).ToListAsync(ct);
        // Without a client address (an in-process caller) there is no IP to count; the organization's limit still applies.
        var byIp = db.Actor.Ip is { } ip ? await others.Where(a => a.Ip == ip).Select(a => a.At).ToListAsync(ct) : [];
        var blocking = byOrganization.Count >= o.MaxFailuresPerOrganization ? byOrganization
            : byIp.Count >= o.MaxFailuresPerIp ? byIp : null;
        if (blocking is null) return null;
        // Free again when enough of the window's oldest failures have aged out.
        var limit = blocking == byOrganization ? o.MaxFailuresPerOrganization : o.MaxFailuresPerIp;
        var freedAt = blocking.Order().ElementAt(blocking.Count - limit).AddMinutes(o.FailureWindowMinutes);
        var wait = freedAt - now;
        var minutes = Math.Max(1, (int)Math.Ceiling(wait.TotalMinutes));
        return Failure.TooManyRequests($"Too many wrong codes; try again in {minutes} minute{(minutes == 1 ? "" : "s")}.")
            with { Code = "rate_limited", RetryAfter = wait > TimeSpan.Zero ? wait : TimeSpan.FromSeconds(1) };
    }

    private static Failure Unknown() => Failure.Invalid("Code", "This is not a valid code.") with { Code = UnknownCode };

    private static Failure Used(string message) => Failure.Invalid("Code", message) with { Code = "voucher_already_redeemed" };

    private async Task<string?> MeterAsync(string? meter, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(meter)) return null;
        var wanted = meter.Trim().ToLowerInvariant();
        var known = await db.Meters.Select(m => m.Code).ToListAsync(ct);
        known.AddRange(await db.Products.Where(p => p.Meter != null).Select(p => p.Meter!).ToListAsync(ct));
        return known.FirstOrDefault(m => m.Equals(wanted, StringComparison.OrdinalIgnoreCase));
    }

    private async Task<List<string>> ExistingAsync(HashSet<string> codes, CancellationToken ct)
    {
        var list = codes.ToList();
        var found = new List<string>();
        foreach (var chunk in list.Chunk(500))
            found.AddRange(await db.Vouchers.Where(v => chunk.Contains(v.Code)).Select(v => v.Code).ToListAsync(ct));
        return found;
    }

    private static string NewCode()
    {
        Span<byte> random = stackalloc byte[VoucherCode.RandomBytes];
        RandomNumberGenerator.Fill(random);
        return VoucherCode.New(random);
    }

    private static BatchSummary Summary(VoucherBatch b, Dictionary<VoucherStatus, int> counts) =>
        new(b, counts.GetValueOrDefault(VoucherStatus.Available), counts.GetValueOrDefault(VoucherStatus.Sold), counts.GetValueOrDefault(VoucherStatus.Redeemed));
}
