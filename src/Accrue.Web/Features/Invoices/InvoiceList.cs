using Accrue.Domain.Invoices;
using Accrue.Web.Data;
using Accrue.Web.Features.Shared;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Invoices;

/// <summary>A page of invoices and credit notes, newest first, with the numbers of the invoices credit notes correct.</summary>
public sealed record InvoiceList(Paged<Invoice> Page, IReadOnlyDictionary<Guid, string> Numbers)
{
    public static readonly InvoiceList Empty = new(new Paged<Invoice>([], 1, PagingExtensions.PageSize, 0), new Dictionary<Guid, string>());

    public static async Task<InvoiceList> LoadAsync(AccrueDb db, IQueryable<Invoice> query, int page, CancellationToken ct)
    {
        var paged = await query.AsNoTracking().OrderByDescending(i => i.IssuedOn).ThenByDescending(i => i.CreatedAt).ToPagedAsync(page, ct);
        var ids = paged.Items.Where(i => i.CorrectsInvoiceId != null).Select(i => i.CorrectsInvoiceId!.Value).Distinct().ToList();
        var numbers = await db.Invoices.Where(i => ids.Contains(i.Id)).ToDictionaryAsync(i => i.Id, i => i.Number, ct);
        return new InvoiceList(paged, numbers);
    }
}
