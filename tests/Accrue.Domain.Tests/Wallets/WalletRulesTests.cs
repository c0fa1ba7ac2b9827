using Accrue.Domain.Common;
using Accrue.Domain.Wallets;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Accrue.Domain.Tests.Wallets;

public sealed class WalletRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    private static Wallet Empty(string currency = "USD") => new() { OrganizationId = Guid.NewGuid(), Currency = currency };

    [Fact]
    public void A_credit_then_a_debit_move_the_balance_and_number_the_entries()
    {
        var wallet = Empty();

        var topUp = wallet.Post(WalletEntryKind.TopUp, 50.00m, "Top-up", Now).Value!;
        var purchase = wallet.Post(WalletEntryKind.Purchase, 19.99m, "ORD-000001", Now).Value!;

        Assert.Equal((1, 50.00m, 50.00m), (topUp.Sequence, topUp.Amount, topUp.BalanceAfter));
        Assert.Equal((2, -19.99m, 30.01m), (purchase.Sequence, purchase.Amount, purchase.BalanceAfter));
        Assert.Equal((30.01m, 2L), (wallet.Balance, wallet.LastSequence));
    }

    [Fact]
    public void A_debit_beyond_the_balance_is_refused_and_changes_nothing()
    {
        var wallet = Empty();
        wallet.Post(WalletEntryKind.Adjustment, 10m, "Goodwill", Now);

        var refused = wallet.Post(WalletEntryKind.Withdrawal, 10.01m, "Refund", Now);

        Assert.Equal(FailureKind.Conflict, refused.Failure!.Kind);
        Assert.Contains("USD 10.00", refused.Failure.Message, StringComparison.Ordinal);
        Assert.Equal((10m, 1L), (wallet.Balance, wallet.LastSequence));
    }

    [Theory]
    [InlineData("0", "USD", "greater than zero")]
    [InlineData("-5", "USD", "greater than zero")]
    [InlineData("1.001", "USD", "at most 2 decimal places")]
    [InlineData("1.5", "JPY", "at most 0 decimal places")]
    [InlineData("1000000000.01", "USD", "at most")]
    public void Amounts_must_be_positive_within_the_currency_decimals_and_sane(string amount, string currency, string message)
    {
        var wallet = Empty(currency);

        var refused = wallet.Post(WalletEntryKind.TopUp, decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture), "x", Now);

        Assert.Contains(message, Assert.Single(refused.Failure!.Errors!["Amount"]), StringComparison.Ordinal);
        Assert.Equal(0, wallet.LastSequence);
    }

    [Fact]
    public void Credits_and_debits_are_told_apart_by_kind()
    {
        Assert.All([WalletEntryKind.TopUp, WalletEntryKind.Voucher, WalletEntryKind.Refund, WalletEntryKind.Adjustment], k => Assert.True(Wallet.IsCredit(k)));
        Assert.All([WalletEntryKind.Purchase, WalletEntryKind.Renewal, WalletEntryKind.Withdrawal], k => Assert.False(Wallet.IsCredit(k)));
    }

    /// <summary>Whatever is posted, in any order: the balance is the ledger's sum, never negative, and entries run 1..N.</summary>
    [Property(MaxTest = 500)]
    public Property The_balance_is_always_the_sum_of_the_ledger_and_never_negative() =>
        Prop.ForAll(Gen.ListOf(Gen.Zip(Gen.Elements(Enum.GetValues<WalletEntryKind>()), Gen.Choose(1, 100_000))).ToArbitrary(), moves =>
        {
            var wallet = Empty();
            var entries = moves
                .Select(m => wallet.Post(m.Item1, m.Item2 / 100m, "move", Now).Value)
                .OfType<WalletEntry>().ToList();
            return wallet.Balance == entries.Sum(e => e.Amount)
                && entries.All(e => e.BalanceAfter >= 0)
                && entries.Select(e => e.Sequence).SequenceEqual(Enumerable.Range(1, entries.Count).Select(i => (long)i));
        });
}
