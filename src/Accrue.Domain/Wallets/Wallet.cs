using Accrue.Domain.Billing;
using Accrue.Domain.Common;

namespace Accrue.Domain.Wallets;

/// <summary>
/// Why money entered or left a wallet (DESIGN §2): the first four are credits, the rest debits.
/// An operator's manual correction is an <see cref="Adjustment"/> when it credits and an
/// <see cref="AdjustmentDebit"/> when it debits, so the kind alone still gives the sign.
/// </summary>
public enum WalletEntryKind { TopUp, Voucher, Refund, Adjustment, Purchase, Renewal, Withdrawal, AdjustmentDebit }

/// <summary>
/// A prepaid organization's money (seed 004). The balance is the running total of an append-only
/// ledger: it only ever moves by <see cref="Post"/>, which appends the entry that explains the move,
/// and it is never negative. The web project holds the wallet's row locked while it posts, so entries
/// are numbered 1, 2, 3 … without gaps and each carries the balance after it.
/// </summary>
public sealed class Wallet : IOrganizationOwned
{
    /// <summary>Largest amount one entry may move: far beyond any real top-up, small enough that sums stay exact.</summary>
    public const decimal MaxAmount = 1_000_000_000m;

    public Guid OrganizationId { get; init; }
    public required string Currency { get; init; }
    public decimal Balance { get; private set; }
    /// <summary>The sequence of the last entry; a concurrency token, so a writer that skipped the lock can't save.</summary>
    public long LastSequence { get; private set; }

    /// <summary>Below this balance the organization is alerted once, until a credit lifts it again (0: no alert).</summary>
    public decimal LowBalanceThreshold { get; set; }
    public bool LowBalanceAlerted { get; set; }

    public static bool IsCredit(WalletEntryKind kind) => kind is WalletEntryKind.TopUp or WalletEntryKind.Voucher or WalletEntryKind.Refund or WalletEntryKind.Adjustment;

    /// <summary>The amount a customer or operator typed: positive, within the currency's decimals, not absurd.</summary>
    public static FieldErrors ValidateAmount(decimal amount, string currency, string field = "Amount")
    {
        var errors = new FieldErrors();
        if (amount <= 0) errors.Add(field, "Enter an amount greater than zero.");
        else if (amount > MaxAmount) errors.Add(field, $"Enter at most {Money.Format(MaxAmount, currency)}.");
        else if (Money.Round(amount, currency) != amount)
            errors.Add(field, $"{currency} amounts have at most {Money.MinorUnits(currency)} decimal places.");
        return errors;
    }

    /// <summary>
    /// Appends a credit or debit of <paramref name="amount"/> (always positive; the kind gives the sign).
    /// A debit beyond the balance is refused and changes nothing.
    /// </summary>
    public Result<WalletEntry> Post(WalletEntryKind kind, decimal amount, string description, DateTimeOffset now)
    {
        if (ValidateAmount(amount, Currency) is { Any: true } errors) return errors.ToFailure();
        var signed = IsCredit(kind) ? amount : -amount;
        if (Balance + signed < 0)
            return Failure.Conflict($"The wallet holds {Money.Format(Balance, Currency)}: {Money.Format(amount, Currency)} can't be debited.") with { Code = "insufficient_wallet_balance" };
        Balance += signed;
        LastSequence++;
        return new WalletEntry
        {
            OrganizationId = OrganizationId, Sequence = LastSequence, Kind = kind, Amount = signed, BalanceAfter = Balance,
            Currency = Currency, Description = description, At = now,
        };
    }
}

/// <summary>One line of a wallet's history: never changed or deleted once written.</summary>
public sealed class WalletEntry : Entity, IOrganizationOwned
{
    public Guid OrganizationId { get; init; }
    public long Sequence { get; init; }
    public WalletEntryKind Kind { get; init; }
    /// <summary>Signed: credits positive, debits negative.</summary>
    public decimal Amount { get; init; }
    public decimal BalanceAfter { get; init; }
    public required string Currency { get; init; }
    public required string Description { get; init; }
    public DateTimeOffset At { get; init; }
    /// <summary>What this entry settles, unique per organization ("order:{id}", "voucher:{code}", "idem:{key}"): the same thing is never counted twice.</summary>
    public string? UniqueKey { get; set; }
    public Guid? OrderId { get; set; }
    /// <summary>Why the operator adjusted or withdrew (required for those kinds).</summary>
    public string? Reason { get; set; }

    public bool IsCredit => Amount > 0;
}
