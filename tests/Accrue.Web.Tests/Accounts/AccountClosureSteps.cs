using Accrue.Domain.Billing;
using Accrue.Domain.Invoices;
using Accrue.Domain.Wallets;
using Accrue.Web.Data;
using Accrue.Web.Features.Wallet;
using Accrue.Web.Infrastructure.Tenancy;
using Accrue.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Accrue.Web.Tests.Accounts;

/// <summary>Money that blocks closing an account, put in and taken out the way the product does it.</summary>
public static class AccountClosureSteps
{
    /// <summary>Posts to the organization's wallet through <see cref="WalletLedger"/>, as the system.</summary>
    public static async Task PostWalletAsync(this AccrueApp app, Guid organizationId, WalletEntryKind kind, decimal amount)
    {
        await using var scope = app.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<CurrentActor>().Set(Actor.System);
        var posted = await scope.ServiceProvider.GetRequiredService<WalletLedger>()
            .PostAsync(new WalletPosting(organizationId, kind, amount, $"Test {kind}") { Reason = "test" });
        Assert.True(posted.Succeeded, posted.Failure?.ToString());
    }

    /// <summary>An open bill of <paramref name="total"/> (tax included), numbered like the operator's invoices.</summary>
    public static Task<Invoice> OpenBillAsync(this AccrueApp app, Guid organizationId, decimal total) => app.DbAsync(async db =>
    {
        var organization = await db.Organizations.SingleAsync(o => o.Id == organizationId);
        var op = await db.Operators.SingleAsync(o => o.Id == organization.OperatorId);
        await using var transaction = await db.Database.BeginTransactionAsync();
        var sequence = await db.NextAsync($"invoice:{op.Id}");
        var line = new ChargeLine("Postpaid usage", 1, total, total, 0, 0);
        var invoice = Invoice.Issue(InvoiceKind.Invoice, $"{op.InvoicePrefix}{sequence:D6}", sequence, new Quote(organization.Currency, [line]),
            new InvoiceParty(op.Id, organization.Id, organization.BillingName, organization.BillingAddress.ToString(), organization.Country),
            DateOnly.FromDateTime(DateTime.UtcNow), null);
        db.Invoices.Add(invoice);
        await db.SaveChangesAsync();
        await transaction.CommitAsync();
        return invoice;
    });

    public static Task SettleAsync(this AccrueApp app, Guid invoiceId) => app.DbAsync(async db =>
    {
        var invoice = await db.Invoices.SingleAsync(i => i.Id == invoiceId);
        Assert.Null(invoice.MarkPaid(DateTimeOffset.UtcNow));
        return await db.SaveChangesAsync();
    });
}
