using Accrue.Domain.Accounts;
using Accrue.Domain.Invoices;
using Accrue.Domain.Orders;
using Accrue.Web.Data;
using Accrue.Web.Features.Bills;
using Accrue.Web.Features.Members;
using Accrue.Web.Features.Organizations;
using Accrue.Web.Features.Subscriptions;
using Accrue.Web.Infrastructure.Payments;
using Accrue.Web.Infrastructure.Tenancy;
using Accrue.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Accrue.Web.Tests.Bills;


/// <summary>Postpaid customers and their bills, made through the app's own use cases as the system.</summary>
public static class BillSteps
{
    public const string Zone = "Europe/Berlin";

    public sealed record Customer(Guid OrganizationId, string OwnerEmail, string Password);

    /// <summary>A postpaid organization (Germany, EUR) whose Owner has a password set.</summary>
    public static Task<Customer> NewPostpaidAsync(this AccrueApp app, int paymentTermsDays = 30) =>
        app.AsSystemAsync(async services =>
        {
            var email = $"{Http.Unique("bills-owner")}@example.test";
            var created = await services.GetRequiredService<OrganizationCommands>().CreateAsync(new OrganizationInput
            {
                Name = Http.Unique("Postpaid Co"), BillingAddress = new Address { Line1 = "1 Teststraße", City = "Berlin" },
                Country = "DE", Currency = "EUR", TimeZone = Zone, BillingMode = BillingMode.Postpaid, PaymentTermsDays = paymentTermsDays,
            }, new NewOwnerInput("Olga Owner", email));
            Assert.True(created.Succeeded, created.Failure?.ToString());
            var users = services.GetRequiredService<UserManager<User>>();
            var user = await users.FindByEmailAsync(email);
            Assert.True((await users.AddPasswordAsync(user!, People.Password)).Succeeded);
            return new Customer(created.Value!.Id, email, People.Password);
        });

    /// <summary>Buys TV Max for 12 months: a postpaid order, fulfilled at once and billed.</summary>
    public static Task<(Order Order, Invoice Bill)> BillAsync(this AccrueApp app, Guid organizationId) =>
        app.AsSystemAsync(async services =>
        {
            var db = services.GetRequiredService<AccrueDb>();
            var plan = await db.Plans.SingleAsync(p => p.Code == "tv-max");
            var commands = services.GetRequiredService<SubscriptionCommands>();
            var prepared = await commands.PrepareSubscribeAsync(organizationId, new SubscribeRequest { PlanId = plan.Id, Months = 12, Acknowledged = true });
            var placed = await commands.PlaceAsync(prepared, acknowledged: true);
            Assert.True(placed.Succeeded, placed.Failure?.ToString());
            var order = await db.Orders.AsNoTracking().Include(o => o.Events).SingleAsync(o => o.Id == placed.Value!.Id);
            var bill = await db.Invoices.AsNoTracking().Include(i => i.Events).SingleAsync(i => i.Id == order.InvoiceId);
            return (order, bill);
        });

    public static Task<Invoice> InvoiceAsync(this AccrueApp app, Guid id) =>
        app.DbAsync(db => db.Invoices.IgnoreQueryFilters().AsNoTracking().Include(i => i.Events).SingleAsync(i => i.Id == id));

    public static Task<List<Payment>> PaymentsAsync(this AccrueApp app, Guid organizationId) =>
        app.DbAsync(db => db.Payments.IgnoreQueryFilters().AsNoTracking().Where(p => p.OrganizationId == organizationId).ToListAsync());

    public static Task<Organization> OrganizationAsync(this AccrueApp app, Guid id) =>
        app.DbAsync(db => db.Organizations.IgnoreQueryFilters().AsNoTracking().SingleAsync(o => o.Id == id));

    public static Task<int> RunDunningAsync(this AccrueApp app) =>
        app.AsSystemAsync(services => services.GetRequiredService<Dunning>().RunAsync(CancellationToken.None));

    public static Task<Accrue.Domain.Common.Result<Payment>> PayAsync(this AccrueApp app, Guid organizationId, PayBillsRequest request) =>
        app.AsSystemAsync(services => services.GetRequiredService<BillCommands>().PayAsync(organizationId, request));

    /// <summary>Keeps a sandbox test card on file for the organization, as the card-on-file settings would.</summary>
    public static Task SaveCardAsync(this AccrueApp app, Guid organizationId, string number) =>
        app.AsSystemAsync(async services =>
        {
            var saved = await services.GetRequiredService<IPaymentGateway>().SaveCardAsync(Orders.Shop.Card(number), CancellationToken.None);
            var db = services.GetRequiredService<AccrueDb>();
            db.CardsOnFile.Add(new CardOnFile
            {
                OrganizationId = organizationId, Gateway = "Sandbox", Token = saved.Value!.Token, Brand = saved.Value.Brand, Last4 = saved.Value.Last4,
                ExpiryMonth = saved.Value.ExpiryMonth, ExpiryYear = saved.Value.ExpiryYear,
            });
            await db.SaveChangesAsync();
            return true;
        });

    public static async Task<T> AsSystemAsync<T>(this AccrueApp app, Func<IServiceProvider, Task<T>> work)
    {
        await using var scope = app.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<CurrentActor>().Set(Actor.System);
        return await work(scope.ServiceProvider);
    }
}
