using System.Security.Cryptography;
using Accrue.Browser.Tests.Infrastructure;
using Accrue.Domain.Vouchers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Accrue.Browser.Tests.Journeys;

/// <summary>Vouchers (seed 004): what a prepaid customer does with a printed code.</summary>
public sealed class VoucherJourneys(BrowserSite site, ITestOutputHelper output) : BrowserTest(site, output)
{
    [Fact]
    public Task The_owner_of_a_prepaid_organization_redeems_a_printed_voucher_and_sees_the_wallet_credit() => JourneyAsync(async () =>
    {
        var code = VoucherCode.New(RandomNumberGenerator.GetBytes(VoucherCode.RandomBytes));
        var acme = await Site.Server.DbAsync(async db =>
        {
            var operatorId = await db.Operators.Select(o => o.Id).FirstAsync();
            var batch = new VoucherBatch
            {
                OperatorId = operatorId, Name = Unique("Printed USD 20"), Kind = VoucherKind.Print, Amount = 20m, Currency = "USD", Count = 1,
                ExpiresOn = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(60),
            };
            db.VoucherBatches.Add(batch);
            db.Vouchers.Add(new Voucher { BatchId = batch.Id, Code = code, Status = VoucherStatus.Available });
            await db.SaveChangesAsync();
            return await db.Organizations.Where(o => o.Name == "Acme Prepaid Ltd").Select(o => o.Id).SingleAsync();
        });
        var before = await Site.Server.DbAsync(db => db.Wallets.Where(w => w.OrganizationId == acme).Select(w => w.Balance).SingleOrDefaultAsync());

        var owner = await OpenAsync();
        await SignInAsync(owner, "owner@acme.test", DemoPassword);
        await NavigateAsync(owner, "Vouchers");
        await owner.GetByRole(AriaRole.Link, new() { Name = "Redeem a code" }).ClickAsync();
        // Typed the way people type printed codes: lower case, spaces instead of dashes.
        await owner.GetByLabel("Voucher code").FillAsync(VoucherCode.Format(code).Replace('-', ' ').ToLowerInvariant());
        await owner.GetByRole(AriaRole.Button, new() { Name = "Redeem" }).ClickAsync();

        var after = before + 20m;
        await Expect(owner.GetByText($"Voucher redeemed: USD 20.00 added to your wallet. Wallet balance: {Accrue.Domain.Billing.Money.Format(after, "USD")}.")).ToBeVisibleAsync();
        Assert.Equal(after, await Site.Server.DbAsync(db => db.Wallets.Where(w => w.OrganizationId == acme).Select(w => w.Balance).SingleAsync()));
        Assert.Equal(VoucherStatus.Redeemed, await Site.Server.DbAsync(db => db.Vouchers.Where(v => v.Code == code).Select(v => v.Status).SingleAsync()));

        // The same code a second time says it was used.
        await owner.GetByLabel("Voucher code").FillAsync(VoucherCode.Format(code));
        await owner.GetByRole(AriaRole.Button, new() { Name = "Redeem" }).ClickAsync();
        await Expect(owner.GetByText("This code was already used")).ToBeVisibleAsync();
        AssertNoBrowserErrors();
    });
}
