using Accrue.Domain.Accounts;
using Accrue.Domain.Common;
using Accrue.Domain.Invoices;
using Accrue.Domain.Orders;
using Accrue.Web.Data;
using Accrue.Web.Features.Api;
using Accrue.Web.Features.Invoices;
using Accrue.Web.Features.Orders;
using Accrue.Web.Infrastructure.Tenancy;
using Accrue.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Bills;

/// <summary>A postpaid bill: the invoice with its due date, whether it is overdue, and its timeline.</summary>
public sealed record BillResponse(InvoiceResponse Invoice, bool Overdue, IReadOnlyList<BillEventResponse> Timeline);

/// <summary>One step on a bill's timeline: issued, reminded, retried, paid, suspended.</summary>
public sealed record BillEventResponse(string Step, DateTimeOffset At, string Note)
{
    public static BillEventResponse From(InvoiceEvent e) => new(e.Step, e.At, e.Note);
}

/// <summary>The payment that settled the chosen bills (Succeeded), or why not (Declined; Unknown until reconciled).</summary>
public sealed record PayBillsResponse(PaymentResponse Payment, IReadOnlyList<Guid> InvoiceIds, PaymentSource Source);

/// <summary>/api/v1/organizations/{orgId}/bills: postpaid bills and paying them, through <see cref="BillCommands"/>.</summary>
public static class BillsApi
{
    public static RouteGroupBuilder MapBillsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/organizations/{orgId:guid}/bills", ListAsync).WithName("ListBills").WithTags("Bills")
            .WithSummary("An organization's bills, oldest first: status=outstanding (default, open invoices) or all.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/organizations/{orgId:guid}/bills/pay", PayAsync).WithName("PayBills").WithTags("Bills")
            .WithSummary("Pays one or several open bills (same currency) with one card charge: a card, or useCardOnFile. acknowledged must be true.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity).Idempotent();
        api.MapGet("/invoices/{id:guid}/timeline", TimelineAsync).WithName("GetInvoiceTimeline").WithTags("Bills")
            .WithSummary("The steps on an invoice's timeline, in order: issued, reminders, card retries, payment, suspension.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    private static async Task<Results<Ok<Page<BillResponse>>, ProblemHttpResult>> ListAsync(
        Guid orgId, AccrueDb db, TimeProvider clock, CancellationToken ct, string? status = null, int? limit = null, string? cursor = null)
    {
        var page = Paging.Parse(limit, cursor);
        if (page.Failed(out var bad)) return bad.ToProblem();
        var all = string.Equals(status, "all", StringComparison.OrdinalIgnoreCase);
        if (!all && status is not null && !string.Equals(status, "outstanding", StringComparison.OrdinalIgnoreCase))
            return Failure.Invalid("status", "status is 'outstanding' or 'all'.").ToProblem();
        var organization = await db.Organizations.AsNoTracking().SingleOrDefaultAsync(o => o.Id == orgId, ct);
        if (organization is null) return Failure.NotFound("Organization").ToProblem();
        if (!await db.ActorCanAsync(Permissions.ViewBilling, ct) && !await db.ActorCanAsync(Permissions.ManageAccount, ct))
            return Failure.Forbidden("You need the View billing or Manage account permission.").ToProblem();
        var query = db.Invoices.AsNoTracking().Include(i => i.Events).Where(i => i.OrganizationId == orgId);
        if (!all) query = query.Where(i => i.Status == InvoiceStatus.Open && i.Kind == InvoiceKind.Invoice);
        var today = organization.Today(clock);
        return TypedResults.Ok(await query.PageAsync(page.Value, i => From(i, today), ct));
    }

    private static async Task<Results<Ok<PayBillsResponse>, ProblemHttpResult>> PayAsync(
        Guid orgId, PayBillsRequest request, BillCommands bills, CancellationToken ct)
    {
        var result = await bills.PayAsync(orgId, request, ct);
        if (result.Failed(out var failure)) return failure.ToProblem();
        var payment = result.Value;
        return TypedResults.Ok(new PayBillsResponse(PaymentResponse.From(payment), payment.InvoiceIds, payment.Source));
    }

    private static async Task<Results<Ok<Page<BillEventResponse>>, ProblemHttpResult>> TimelineAsync(Guid id, AccrueDb db, CancellationToken ct,
        int? limit = null, string? cursor = null)
    {
        var invoice = await db.Invoices.AsNoTracking().Include(i => i.Events).SingleOrDefaultAsync(i => i.Id == id, ct);
        if (invoice is null) return Failure.NotFound("Invoice").ToProblem();
        var events = invoice.Events.OrderBy(e => e.At).ThenBy(e => e.Id).ToList();
        var page = Paging.PageOf(events, e => e.Id.ToString("N"), limit, cursor);
        return page.Failed(out var failure) ? failure.ToProblem()
            : TypedResults.Ok(new Page<BillEventResponse>(page.Value.Items.Select(BillEventResponse.From).ToList(), page.Value.NextCursor));
    }

    private static BillResponse From(Invoice i, DateOnly today) =>
        new(InvoiceResponse.From(i), Bills.IsOverdue(i, today), i.Events.OrderBy(e => e.At).Select(BillEventResponse.From).ToList());
}

/// <summary>Questions about bills asked by pages and the API alike.</summary>
public static class Bills
{
    public static bool IsOverdue(Invoice invoice, DateOnly today) => invoice.Status == InvoiceStatus.Open && invoice.DueOn < today;
}
