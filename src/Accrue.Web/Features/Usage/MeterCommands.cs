using Accrue.Domain.Common;
using Accrue.Domain.Usage;
using Accrue.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Usage;

/// <summary>A meter as the console form and the API send it.</summary>
public sealed class MeterInput
{
    public string? Code { get; set; }
    public string? Name { get; set; }
    public string? UnitName { get; set; }
    public bool AllowOverage { get; set; }
    public long LowBalanceThreshold { get; set; }
}

/// <summary>The operator's meters (seed 000: OCR, SMS, WhatsApp): what each counts, overage, and the low-balance threshold.</summary>
public sealed class MeterCommands(AccrueDb db)
{
    public Task<List<Meter>> ListAsync(CancellationToken ct = default) =>
        db.Meters.AsNoTracking().OrderBy(m => m.Code).ToListAsync(ct);

    public async Task<Result<Meter>> CreateAsync(MeterInput input, CancellationToken ct = default)
    {
        if (db.Actor.RefuseUnlessOperator(OperatorOnly) is { } refused) return refused;
        var operatorId = await db.Operators.Select(o => o.Id).FirstAsync(ct);
        var code = input.Code?.Trim().ToLowerInvariant() ?? "";
        var errors = Validate(input);
        errors.Require(nameof(MeterInput.Code), code, "Code", 40);
        if (code.Length > 0 && !code.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '_'))
            errors.Add(nameof(MeterInput.Code), "Use lower-case letters, digits, '-' and '_' only.");
        if (!errors.Any && await db.Meters.AnyAsync(m => m.OperatorId == operatorId && m.Code == code, ct))
            errors.Add(nameof(MeterInput.Code), $"A meter with the code '{code}' already exists.");
        if (errors.Any) return errors.ToFailure();
        var meter = new Meter
        {
            OperatorId = operatorId, Code = code, Name = input.Name!.Trim(), UnitName = input.UnitName!.Trim(),
            AllowOverage = input.AllowOverage, LowBalanceThreshold = input.LowBalanceThreshold,
        };
        db.Meters.Add(meter);
        await db.SaveChangesAsync(ct);
        return meter;
    }

    /// <summary>Changes what a meter is called, its overage rule and threshold; its code stays (balances and events refer to it).</summary>
    public async Task<Result<Meter>> UpdateAsync(Guid id, MeterInput input, CancellationToken ct = default)
    {
        if (db.Actor.RefuseUnlessOperator(OperatorOnly) is { } refused) return refused;
        var meter = await db.Meters.SingleOrDefaultAsync(m => m.Id == id, ct);
        if (meter is null) return Failure.NotFound("Meter");
        var errors = Validate(input);
        if (errors.Any) return errors.ToFailure();
        (meter.Name, meter.UnitName, meter.AllowOverage, meter.LowBalanceThreshold) =
            (input.Name!.Trim(), input.UnitName!.Trim(), input.AllowOverage, input.LowBalanceThreshold);
        await db.SaveChangesAsync(ct);
        return meter;
    }

    private static FieldErrors Validate(MeterInput input)
    {
        var errors = new FieldErrors()
            .Require(nameof(MeterInput.Name), input.Name, "Name", 100)
            .Require(nameof(MeterInput.UnitName), input.UnitName, "Unit name", 40);
        if (input.LowBalanceThreshold < 0) errors.Add(nameof(MeterInput.LowBalanceThreshold), "The low-balance threshold can't be negative.");
        return errors;
    }

    private const string OperatorOnly = "Only the operator's staff change meters.";
}
