using Accrue.Domain.Common;
using Accrue.Domain.Invoices;
using Accrue.Web.Data;
using Accrue.Web.Features.Api;
using Accrue.Web.Features.Subscriptions;
using Accrue.Web.Infrastructure.Pdf;
using Accrue.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Invoices;

/// <summary>An invoice or credit note as issued; never edited afterwards (DESIGN §2).</summary>
public sealed record InvoiceResponse(
    Guid Id,
    Guid OrganizationId,
    InvoiceKind Kind,
    string Number,
    Guid? OrderId,
    Guid? CorrectsInvoiceId,
    DateOnly IssuedOn,
    DateOnly? DueOn,
    InvoiceStatus Status,
    DateTimeOffset? PaidAt,
    string BillingName,
    string BillingAddress,
    string Country,
    string Currency,
    IReadOnlyList<QuoteLineResponse> Lines,
    Amount Subtotal,
    Amount Tax,
    Amount Total,
    string? TaxNote,
    string? Reason)
{
    public static InvoiceResponse From(Invoice i) =>
        new(i.Id, i.OrganizationId, i.Kind, i.Number, i.OrderId, i.CorrectsInvoiceId, i.IssuedOn, i.DueOn, i.Status, i.PaidAt,
            i.BillingName, i.BillingAddress, i.Country, i.Currency, i.Lines.Select(l => QuoteLineResponse.From(l, i.Currency)).ToList(),
            i.Subtotal.ToAmount(i.Currency), i.Tax.ToAmount(i.Currency), i.Total.ToAmount(i.Currency), i.TaxNote, i.Reason);
}

/// <summary>The invoice lines to credit, by index (0 is the first line), and why.</summary>
public sealed record InvoiceNumbering(string? InvoicePrefix, string? CreditNotePrefix);

public sealed record CreditNoteRequest(List<int>? Lines, string? Reason);

/// <summary>/api/v1/invoices: invoices and credit notes, their PDFs, and the operator's corrections through <see cref="Invoicing"/>.</summary>
public static class InvoicesApi
{
    public static RouteGroupBuilder MapInvoicesApi(this RouteGroupBuilder api)
    {
        api.MapGet("/organizations/{orgId:guid}/invoices", ListAsync).WithName("ListInvoices").WithTags("Invoices")
            .WithSummary("Lists an organization's invoices and credit notes, oldest first.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);

        var group = api.MapGroup("/invoices").WithTags("Invoices");
        group.MapGet("/{id:guid}", GetAsync).WithName("GetInvoice").WithSummary("One invoice or credit note as issued, with its lines and tax.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{id:guid}/pdf", PdfAsync).WithName("GetInvoicePdf")
            .WithSummary("The invoice as a PDF, rendered from the stored invoice.")
            .Produces<Stream>(StatusCodes.Status200OK, "application/pdf")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{id:guid}/credit-notes", CreditAsync).WithName("CreateCreditNote")
            .WithSummary("Issues a credit note for some lines of an invoice (each line once). Operator keys only.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).Idempotent();
        api.MapPut("/invoice-numbering", SetNumberingAsync).WithName("SetInvoiceNumbering").WithTags("Invoices")
            .WithSummary("Sets the invoice and credit note number prefixes (the sequence carries on, never reused or skipped). Operator keys only.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden);
        return api;
    }

    private static async Task<Results<Ok<InvoiceNumbering>, ProblemHttpResult>> SetNumberingAsync(InvoiceNumbering request, Invoicing invoicing, CancellationToken ct)
    {
        var result = await invoicing.SetPrefixesAsync(request.InvoicePrefix, request.CreditNotePrefix, ct);
        return result.Failed(out var failure) ? failure.ToProblem() : TypedResults.Ok(new InvoiceNumbering(result.Value.InvoicePrefix, result.Value.CreditNotePrefix));
    }

    private static async Task<Results<Ok<Page<InvoiceResponse>>, ProblemHttpResult>> ListAsync(
        Guid orgId, AccrueDb db, CancellationToken ct, int? limit = null, string? cursor = null, InvoiceKind? kind = null)
    {
        var page = Paging.Parse(limit, cursor);
        if (page.Failed(out var failure)) return failure.ToProblem();
        if (!await db.Organizations.AnyAsync(o => o.Id == orgId, ct)) return Failure.NotFound("Organization").ToProblem();
        var query = db.Invoices.AsNoTracking().Where(i => i.OrganizationId == orgId);
        if (kind is { } k) query = query.Where(i => i.Kind == k);
        return TypedResults.Ok(await query.PageAsync(page.Value, InvoiceResponse.From, ct));
    }

    private static async Task<Results<Ok<InvoiceResponse>, ProblemHttpResult>> GetAsync(Guid id, AccrueDb db, CancellationToken ct)
    {
        var invoice = await db.Invoices.AsNoTracking().SingleOrDefaultAsync(i => i.Id == id, ct);
        return invoice is null ? Failure.NotFound("Invoice").ToProblem() : TypedResults.Ok(InvoiceResponse.From(invoice));
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> PdfAsync(Guid id, AccrueDb db, InvoicePdf pdf, CancellationToken ct)
    {
        var invoice = await db.Invoices.AsNoTracking().SingleOrDefaultAsync(i => i.Id == id, ct);
        if (invoice is null) return Failure.NotFound("Invoice").ToProblem();
        return TypedResults.File(await InvoiceFiles.RenderAsync(db, pdf, invoice, ct), "application/pdf", $"{invoice.Number}.pdf");
    }

    private static async Task<Results<Created<InvoiceResponse>, ProblemHttpResult>> CreditAsync(
        Guid id, CreditNoteRequest request, Invoicing invoicing, CancellationToken ct)
    {
        var result = await invoicing.CreditAsync(id, request.Lines ?? [], request.Reason, ct);
        if (result.Failed(out var failure)) return failure.ToProblem();
        var note = InvoiceResponse.From(result.Value);
        return TypedResults.Created($"{ApiSetup.Prefix}/invoices/{note.Id}", note);
    }
}
