using Accrue.Domain.Billing;
using Accrue.Domain.Common;
using Accrue.Domain.Orders;

namespace Accrue.Domain.Tests.Orders;

public sealed class OrderTests
{
    private static readonly DateTimeOffset Placed = new(2026, 9, 23, 10, 0, 0, TimeSpan.Zero);
    private static readonly Term Year2026 = Term.Of(new DateOnly(2026, 1, 1), BillingPeriod.Month, 12, 1);

    private static Quote SeatQuote() =>
        new QuoteBuilder("EUR", 0.20m, Proration.For(Year2026, new DateOnly(2026, 9, 23))).Charge("Finance seat", 3, 120.00m, Year2026).Build();

    private static Order Place(Quote? quote = null) =>
        Order.Place(Guid.NewGuid(), 42, OrderType.Seats, quote ?? SeatQuote(), 3, "seats", "3 Finance seats", "{}", Placed);

    private static Order InStatus(OrderStatus status)
    {
        var order = Place();
        var failure = status switch
        {
            OrderStatus.Processing => null,
            OrderStatus.SystemProcessing => order.StartPayment(Placed, "Card payment started."),
            OrderStatus.Succeeded => order.StartPayment(Placed, "Card payment started.") ?? order.Succeed(Placed, "Paid."),
            OrderStatus.Failed => order.Fail(Placed, "Declined."),
            OrderStatus.TimedOut => order.TimeOut(Placed),
            OrderStatus.Cancelled => order.Cancel(Placed, "Cancelled by the customer."),
            _ => throw new ArgumentOutOfRangeException(nameof(status)),
        };
        Assert.Null(failure);
        Assert.Equal(status, order.Status);
        return order;
    }

    [Fact]
    public void A_placed_order_keeps_the_quote_and_waits_for_payment()
    {
        var quote = SeatQuote();

        var order = Place(quote);

        Assert.Equal(OrderStatus.Processing, order.Status);
        Assert.Equal("ORD-000042", order.Reference);
        Assert.Equal(("EUR", 98.63m, 19.73m, 118.36m), (order.Currency, order.Subtotal, order.Tax, order.Total));
        Assert.Equal(quote.Lines, order.Lines);
        Assert.Equal("3 months and 9 days (100 of 365 days, 2026-09-23 – 2026-12-31)", order.ProrationNote);
        Assert.Equal((3, "seats", OrderType.Seats), (order.Quantity, order.QuantityUnit, order.Type));
        var created = Assert.Single(order.Events);
        Assert.Equal((Placed, OrderStatus.Processing, "Order created; waiting for payment.", order.Id, order.OrganizationId),
            (created.At, created.Status, created.Note, created.OrderId, created.OrganizationId));
        Assert.False(order.IsFinal);
        Assert.Null(order.CompletedAt);
    }

    [Fact]
    public void An_order_without_a_proration_has_no_proration_note() =>
        Assert.Null(Place(new QuoteBuilder("EUR", 0m).Charge("Renewal", 1, 100m, Year2026).Build()).ProrationNote);

    [Fact]
    public void A_paid_order_moves_from_processing_to_system_processing_to_succeeded_on_its_timeline()
    {
        var order = Place();

        Assert.Null(order.StartPayment(Placed.AddMinutes(1), "Card payment started."));
        Assert.Equal(OrderStatus.SystemProcessing, order.Status);
        Assert.Null(order.CompletedAt);
        Assert.Null(order.Succeed(Placed.AddMinutes(2), "Paid; seats added."));

        Assert.Equal(OrderStatus.Succeeded, order.Status);
        Assert.True(order.IsFinal);
        Assert.Equal(Placed.AddMinutes(2), order.CompletedAt);
        Assert.Equal(
            [(OrderStatus.Processing, "Order created; waiting for payment."), (OrderStatus.SystemProcessing, "Card payment started."), (OrderStatus.Succeeded, "Paid; seats added.")],
            order.Events.Select(e => (e.Status, e.Note)));
        Assert.Equal([Placed, Placed.AddMinutes(1), Placed.AddMinutes(2)], order.Events.Select(e => e.At));
    }

    [Fact]
    public void Paying_an_order_twice_is_refused()
    {
        var order = Place();
        Assert.Null(order.StartPayment(Placed, "Card payment started."));

        var second = order.StartPayment(Placed, "Card payment started again.");

        Assert.Equal((FailureKind.Conflict, "Order ORD-000042 is already being paid."), (second?.Kind, second?.Message));
        Assert.Null(order.Succeed(Placed, "Paid."));
        Assert.Equal("Order ORD-000042 has already been paid.", order.StartPayment(Placed, "Again.")?.Message);
        Assert.Equal("Order ORD-000042 has already been paid.", order.Succeed(Placed, "Again.")?.Message);
        Assert.Equal(OrderStatus.Succeeded, order.Status);
        Assert.Equal(3, order.Events.Count);
    }

    [Fact]
    public void An_order_with_something_to_pay_cannot_succeed_before_payment_starts()
    {
        var order = Place();

        Assert.Equal(FailureKind.Conflict, order.Succeed(Placed, "Paid.")?.Kind);
        Assert.Equal(OrderStatus.Processing, order.Status);
        Assert.Single(order.Events);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-98.63")]
    public void An_order_with_nothing_to_pay_succeeds_without_a_payment(string amount)
    {
        var total = decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture);
        var order = Place(new QuoteBuilder("EUR", 0m).Add("Downgrade", 1, total, total, Year2026).Build());

        Assert.Null(order.Succeed(Placed, "Nothing to pay."));

        Assert.Equal(OrderStatus.Succeeded, order.Status);
    }

    [Theory]
    [InlineData(OrderStatus.Processing)]
    [InlineData(OrderStatus.SystemProcessing)]
    public void A_declined_payment_fails_the_order(OrderStatus status)
    {
        var order = InStatus(status);

        Assert.Null(order.Fail(Placed.AddMinutes(3), "Card declined."));

        Assert.Equal(OrderStatus.Failed, order.Status);
        Assert.Equal(Placed.AddMinutes(3), order.CompletedAt);
        Assert.Equal((OrderStatus.Failed, "Card declined."), (order.Events[^1].Status, order.Events[^1].Note));
    }

    [Theory]
    [InlineData(OrderStatus.Succeeded)]
    [InlineData(OrderStatus.Failed)]
    [InlineData(OrderStatus.TimedOut)]
    [InlineData(OrderStatus.Cancelled)]
    public void A_final_order_cannot_fail_again(OrderStatus status)
    {
        var order = InStatus(status);
        var events = order.Events.Count;

        Assert.Equal(FailureKind.Conflict, order.Fail(Placed, "Declined.")?.Kind);

        Assert.Equal(status, order.Status);
        Assert.Equal(events, order.Events.Count);
    }

    [Fact]
    public void An_unpaid_order_times_out()
    {
        var order = Place();

        Assert.Null(order.TimeOut(Placed.AddMinutes(30)));

        Assert.Equal(OrderStatus.TimedOut, order.Status);
        Assert.Equal(Placed.AddMinutes(30), order.CompletedAt);
        Assert.Equal("Not paid within the payment window.", order.Events[^1].Note);
    }

    [Theory]
    [InlineData(OrderStatus.SystemProcessing, "Order ORD-000042 is already being paid.")]
    [InlineData(OrderStatus.Succeeded, "Order ORD-000042 has already been paid.")]
    [InlineData(OrderStatus.Failed, "Order ORD-000042 is failed and can't be paid; place a new order.")]
    [InlineData(OrderStatus.TimedOut, "Order ORD-000042 is timedout and can't be paid; place a new order.")]
    [InlineData(OrderStatus.Cancelled, "Order ORD-000042 is cancelled and can't be paid; place a new order.")]
    public void Only_an_order_waiting_for_payment_times_out(OrderStatus status, string message)
    {
        var order = InStatus(status);

        Assert.Equal(message, order.TimeOut(Placed.AddHours(1))?.Message);
        Assert.Equal(status, order.Status);
    }

    [Theory]
    [InlineData(OrderStatus.Failed)]
    [InlineData(OrderStatus.TimedOut)]
    [InlineData(OrderStatus.Cancelled)]
    public void A_failed_timed_out_or_cancelled_order_cannot_be_paid(OrderStatus status)
    {
        var order = InStatus(status);

        Assert.Equal(FailureKind.Conflict, order.StartPayment(Placed, "Card payment started.")?.Kind);
        Assert.Equal(FailureKind.Conflict, order.Succeed(Placed, "Paid.")?.Kind);
        Assert.Equal(status, order.Status);
    }

    [Fact]
    public void Only_an_order_waiting_for_payment_can_be_cancelled()
    {
        var order = Place();
        Assert.Null(order.Cancel(Placed, "Changed my mind."));
        Assert.Equal(OrderStatus.Cancelled, order.Status);

        var paying = InStatus(OrderStatus.SystemProcessing);
        Assert.Equal(FailureKind.Conflict, paying.Cancel(Placed, "Changed my mind.")?.Kind);
        Assert.Equal(OrderStatus.SystemProcessing, paying.Status);
    }

    [Fact]
    public void A_succeeded_order_cannot_be_deleted()
    {
        var order = InStatus(OrderStatus.Succeeded);

        var failure = order.Delete(Placed.AddDays(1));

        Assert.Equal((FailureKind.Conflict, "A succeeded order can't be deleted: its invoice is a legal record."), (failure?.Kind, failure?.Message));
        Assert.Null(order.DeletedAt);
    }

    [Fact]
    public void An_order_being_paid_cannot_be_deleted()
    {
        var order = InStatus(OrderStatus.SystemProcessing);

        Assert.Equal(FailureKind.Conflict, order.Delete(Placed)?.Kind);
        Assert.Null(order.DeletedAt);
    }

    [Theory]
    [InlineData(OrderStatus.Processing)]
    [InlineData(OrderStatus.Failed)]
    [InlineData(OrderStatus.TimedOut)]
    [InlineData(OrderStatus.Cancelled)]
    public void An_order_that_never_succeeded_can_be_deleted_once(OrderStatus status)
    {
        var order = InStatus(status);

        Assert.Null(order.Delete(Placed.AddDays(1)));
        Assert.Equal(Placed.AddDays(1), order.DeletedAt);

        Assert.Equal(FailureKind.NotFound, order.Delete(Placed.AddDays(2))?.Kind);
        Assert.Equal(Placed.AddDays(1), order.DeletedAt);
    }

    [Fact]
    public void A_deleted_order_cannot_be_paid()
    {
        var order = Place();
        Assert.Null(order.Delete(Placed.AddMinutes(5)));

        Assert.Equal(FailureKind.NotFound, order.StartPayment(Placed.AddMinutes(6), "Card payment started.")?.Kind);
        Assert.Equal(OrderStatus.Processing, order.Status);

        var free = Place(new QuoteBuilder("EUR", 0m).Add("Nothing", 1, 0m, 0m, null).Build());
        Assert.Null(free.Delete(Placed));
        Assert.Equal(FailureKind.NotFound, free.Succeed(Placed, "Nothing to pay.")?.Kind);
        Assert.Equal(OrderStatus.Processing, free.Status);
    }

    [Theory]
    [InlineData(7, "ORD-000007")]
    [InlineData(1234567, "ORD-1234567")]
    public void Order_numbers_are_padded_to_six_digits(long number, string reference) => Assert.Equal(reference, Order.FormatNumber(number));
}
