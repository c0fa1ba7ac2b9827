using Accrue.Domain.Billing;
using Accrue.Web.Infrastructure.Web;

namespace Accrue.Web.Features.Api;

/// <summary>
/// One line in the currency of its quote, order or invoice; <c>taxRate</c> is a fraction (0.19). A prorated line (seats
/// or an app added mid-term, a plan change) has its factor, <c>days</c> left of <c>daysInTerm</c>, and <c>proratedUnitPrice</c>
/// (<c>unitPrice</c> × days ÷ daysInTerm, to four places more than the currency's minor unit): <c>amount</c> is
/// <c>quantity</c> × <c>proratedUnitPrice</c> rounded to the minor unit. Other lines have them null.
/// <c>PeriodEnd</c> is exclusive (the first day no longer covered, as stored); <c>PeriodLastDay</c> is the
/// last day covered, the one pages, emails and PDFs show.
/// </summary>
public sealed record QuoteLineResponse(string Description, decimal Quantity, Amount UnitPrice, Amount? ProratedUnitPrice, int? Days, int? DaysInTerm,
    Amount Amount, decimal TaxRate, Amount Tax, DateOnly? PeriodStart, DateOnly? PeriodEnd, DateOnly? PeriodLastDay)
{
    public static QuoteLineResponse From(ChargeLine l, string currency) =>
        new(l.Description, l.Quantity, l.UnitPrice.ToAmount(currency), l.ProratedUnitPrice.ToAmount(currency), l.Days, l.DaysInTerm,
            l.Amount.ToAmount(currency), l.TaxRate, l.Tax.ToAmount(currency), l.PeriodStart, l.PeriodEnd, EndDates.LastDay(l.PeriodEnd));
}
