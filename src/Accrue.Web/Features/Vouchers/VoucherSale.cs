using Accrue.Domain.Accounts;
using Accrue.Domain.Common;
using Accrue.Domain.Orders;
using Accrue.Domain.Vouchers;
using Accrue.Web.Data;
using Accrue.Web.Infrastructure.Auditing;
using Accrue.Web.Infrastructure.Email;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Vouchers;

/// <summary>
/// Fulfils a paid Voucher order inside the settling transaction: hands the organization codes of the
/// batch and emails them to the buyer. The codes are taken by one conditional update that skips rows
/// another buyer holds, so two buyers never get the same code.
/// </summary>
public sealed class VoucherSale(AccrueDb db, Mailer mailer)
{
    public async Task<Failure?> AssignAsync(Order order, Guid batchId, int quantity, CancellationToken ct)
    {
        var batch = await db.VoucherBatches.AsNoTracking().SingleAsync(b => b.Id == batchId, ct);
        var sold = nameof(VoucherStatus.Sold);
        var available = nameof(VoucherStatus.Available);
        // PostgreSQL: rows locked by a concurrent buyer are skipped, not waited for. SQLite holds the write lock for the whole transaction.
        if (db.Database.IsNpgsql())
            // The CTE picks the rows once; "IN (subquery … LIMIT)" may be rescanned by the planner and take more than asked.
            await db.Database.ExecuteSqlAsync($"""
                WITH picked AS (SELECT "Id" FROM "Vouchers" WHERE "BatchId" = {batchId} AND "Status" = {available} ORDER BY "Id" LIMIT {quantity} FOR UPDATE SKIP LOCKED)
                UPDATE "Vouchers" AS v SET "Status" = {sold}, "SoldToOrganizationId" = {order.OrganizationId}, "OrderId" = {order.Id}
                FROM picked WHERE v."Id" = picked."Id"
                """, ct);
        else
            await db.Database.ExecuteSqlAsync($"""
                UPDATE "Vouchers" SET "Status" = {sold}, "SoldToOrganizationId" = {order.OrganizationId}, "OrderId" = {order.Id}
                WHERE "Status" = {available} AND "Id" IN (SELECT "Id" FROM "Vouchers" WHERE "BatchId" = {batchId} AND "Status" = {available} ORDER BY "Id" LIMIT {quantity})
                """, ct);
        var codes = await db.Vouchers.AsNoTracking().Where(v => v.OrderId == order.Id).OrderBy(v => v.Id).Select(v => v.Code).ToListAsync(ct);
        if (codes.Count < quantity)
        {
            await db.Vouchers.Where(v => v.OrderId == order.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(v => v.Status, VoucherStatus.Available).SetProperty(v => v.SoldToOrganizationId, (Guid?)null).SetProperty(v => v.OrderId, (Guid?)null), ct);
            return Failure.Conflict($"Only {codes.Count} {batch.Name} vouchers were left, {quantity} were bought.") with { Code = "vouchers_sold_out" };
        }

        var organization = await db.Organizations.IgnoreQueryFilters().AsNoTracking().SingleAsync(o => o.Id == order.OrganizationId, ct);
        var buyer = await db.Members.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(m => m.Id == order.PlacedByMemberId, ct)
            ?? await db.Members.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(m => m.OrganizationId == order.OrganizationId && m.Role == MemberRole.Owner, ct);
        if (buyer is not null)
            await mailer.QueueAsync(EmailTemplates.VouchersBought, buyer.Email, order.OrganizationId, new Dictionary<string, string>
            {
                ["Name"] = buyer.Name, ["Order"] = order.Reference, ["Organization"] = organization.Name, ["Batch"] = batch.Name,
                ["Value"] = VoucherText.Value(batch), ["ExpiresOn"] = batch.ExpiresOn.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                ["Codes"] = string.Join("\n", codes.Select(VoucherCode.Format)),
            });
        db.Audit("Voucher.Sold", nameof(VoucherBatch), batch.Id, order.OrganizationId, new { Order = order.Reference, Quantity = quantity });
        return null;
    }
}
