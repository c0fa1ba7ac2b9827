using Accrue.Domain.Accounts;
using Accrue.Domain.Common;

namespace Accrue.Domain.Tests.Accounts;

public sealed class CurrencyChangeTests
{
    private static Organization Aud() =>
        new() { Name = "Initech", BillingName = "Initech", Country = "AU", Currency = "AUD", TimeZone = "Australia/Sydney" };

    [Fact]
    public void Nothing_priced_in_the_currency_lets_it_change() =>
        Assert.Null(CurrencyChange.Refusal(Aud(), "JPY", 0, 0m, [], [("ocr", 0)]));

    [Fact]
    public void Keeping_the_same_currency_is_never_refused() =>
        Assert.Null(CurrencyChange.Refusal(Aud(), "AUD", 3, 10m, [new OutstandingBill("INV-000001", "AUD", 5m)], [("sms", 10)]));

    [Fact]
    public void Every_blocker_is_named_with_its_figures_beside_the_currency_field()
    {
        var failure = CurrencyChange.Refusal(Aud(), "JPY", 3, 25.5m, [new OutstandingBill("INV-000007", "AUD", 99m)], [("sms", 0), ("ocr", 120)]);

        Assert.Equal((FailureKind.Conflict, "currency_locked"), (failure!.Kind, failure.Code));
        const string expected = "The currency can't change from AUD while anything is priced in it. End or cancel 3 live subscriptions. "
            + "Withdraw the remaining wallet balance of AUD 25.50. Settle 1 open bill: INV-000007 (AUD 99.00). Use up or withdraw the unit balances (120 ocr).";
        Assert.Equal(expected, failure.Message);
        Assert.Equal([expected], failure.Errors!["Currency"]);
    }

    [Fact]
    public void One_live_subscription_is_a_subscription()
    {
        var failure = CurrencyChange.Refusal(Aud(), "USD", 1, 0m, [], []);
        Assert.Equal("The currency can't change from AUD while anything is priced in it. End or cancel 1 live subscription.", failure!.Message);
    }
}
