using System.Security.Cryptography;
using Accrue.Domain.Accounts;
using Accrue.Domain.Billing;
using Accrue.Domain.Catalog;
using Accrue.Domain.Subscriptions;
using Accrue.Domain.Usage;
using Accrue.Domain.Vouchers;
using Accrue.Web.Data;
using Accrue.Web.Infrastructure.Pdf;
using Microsoft.EntityFrameworkCore;
using SkiaSharp;

namespace Accrue.Web.Features.Demo;

/// <summary>
/// The demo catalog: the ERP seat plans of seed 000, an add-on app, unit packs, a TV plan with a
/// set-top box and an intercom sold per apartment (seed 002), and a subscription for each customer.
/// </summary>
public static class DemoCatalog
{
    public static async Task SeedAsync(AccrueDb db, Operator op, DateOnly today, CancellationToken ct)
    {
        var versions = new List<(Plan, PlanVersion)>();
        db.TaxRates.AddRange(
            new TaxRate { OperatorId = op.Id, Country = "DE", Name = "VAT", Rate = 0.19m },
            new TaxRate { OperatorId = op.Id, Country = "AU", Name = "GST", Rate = 0.10m },
            new TaxRate { OperatorId = op.Id, Country = "GB", Name = "VAT", Rate = 0.20m });

        var erp = Product(op, "erp", "ERP Cloud", ProductKind.Service, "Finance, operations and mobile modules in the cloud.");
        var standard = Plan(erp, "erp-standard", "ERP Standard", PricingModel.PerSeat, maxQuantity: 500);
        standard.TrialDays = 14;
        standard.MinimumTermMonths = 1;
        var finance = Seat(standard, "finance", "Finance", 0, "General Ledger", "Cash Book", "Accounts Receivable", "Accounts Payable");
        var operations = Seat(standard, "operations", "Operations", 1, "Sales", "Procurement", "Inventory");
        var mobile = Seat(standard, "mobile", "Mobile", 2, "Mobile Sales", "Mobile Warehouse");
        var full = Seat(standard, "full", "Full", 3, [.. finance.Modules, .. operations.Modules, .. mobile.Modules]);
        Version(standard, Seats(20m, (finance, 15m), (operations, 15m), (mobile, 8m), (full, 30m)));

        var premium = Plan(erp, "erp-premium", "ERP Premium (priority support)", PricingModel.PerSeat, maxQuantity: 1000);
        premium.MinimumTermMonths = 1;
        var pFinance = Seat(premium, "finance", "Finance", 0, finance.Modules.ToArray());
        var pOperations = Seat(premium, "operations", "Operations", 1, operations.Modules.ToArray());
        var pMobile = Seat(premium, "mobile", "Mobile", 2, mobile.Modules.ToArray());
        var pFull = Seat(premium, "full", "Full", 3, full.Modules.ToArray());
        Version(premium, Seats(30m, (pFinance, 22m), (pOperations, 22m), (pMobile, 12m), (pFull, 45m)));
        // Standard → Premium is an upgrade, Premium → Standard the downgrade target (cheaper seats).
        standard.ChangeTargetIds = [premium.Id];
        premium.ChangeTargetIds = [standard.Id];
        // Premium's priority support comes with a service level agreement, downloadable from the plan (seed 000).
        var sla = new Document { FileName = "erp-premium-sla.pdf", ContentType = "application/pdf", Content = SlaPdf(premium.Name) };
        db.Documents.Add(sla);
        premium.SlaDocumentId = sla.Id;

        var reporting = Product(op, "reporting", "Advanced Reporting", ProductKind.AddOn, "Dashboards and scheduled reports (an additional app).");
        Version(Plan(reporting, "reporting-monthly", "Advanced Reporting", PricingModel.Flat), Flat(25m));

        foreach (var (code, name, meter, units, price) in new[] { ("ocr-1000", "OCR pages", "ocr", 1000, 40m), ("sms-500", "SMS messages", "sms", 500, 20m), ("whatsapp-500", "WhatsApp messages", "whatsapp", 500, 15m) })
        {
            var pack = Product(op, code, $"{name}, pack of {units}", ProductKind.UnitPack, $"{units} {name.ToLowerInvariant()} added to your balance.");
            pack.Meter = meter;
            pack.UnitsPerPack = units;
            Version(Plan(pack, $"{code}-pack", pack.Name, PricingModel.Package), Flat(price));
        }

        // The meters the packs fill (seed 000): SMS may run into overage, OCR and WhatsApp stop at zero.
        db.Meters.AddRange(
            new Meter { OperatorId = op.Id, Code = "ocr", Name = "OCR pages", UnitName = "pages", AllowOverage = false, LowBalanceThreshold = 100 },
            new Meter { OperatorId = op.Id, Code = "sms", Name = "SMS", UnitName = "messages", AllowOverage = true, LowBalanceThreshold = 50 },
            new Meter { OperatorId = op.Id, Code = "whatsapp", Name = "WhatsApp", UnitName = "messages", AllowOverage = false, LowBalanceThreshold = 50 });

        var setTopBox = Product(op, "stb", "Set-top box", ProductKind.PhysicalGood, "4K set-top box, delivered with a serial number.");
        Product(op, "router", "Wi-Fi router", ProductKind.PhysicalGood, "Dual-band router, delivered with a serial number.");
        var tv = Product(op, "tv", "TV & Internet", ProductKind.Service, "Television and broadband.");
        var tvMax = Plan(tv, "tv-max", "TV Max", PricingModel.Flat);
        tvMax.CancellationRule = CancellationRule.AtPeriodEnd;
        tvMax.MinimumTermMonths = 12;
        Version(tvMax, Flat(49m));

        var intercom = Product(op, "intercom", "SmartPlus Intercom", ProductKind.Service, "Intercom app service, one subscription per apartment.");
        var perApartment = Plan(intercom, "intercom-apartment", "SmartPlus per apartment", PricingModel.Flat);
        (perApartment.SoldPerUnit, perApartment.UnitName, perApartment.CancellationRule) = (true, "apartment", CancellationRule.Immediately);
        Version(perApartment, Flat(3m));
        var daily = Plan(intercom, "intercom-daily", "SmartPlus daily", PricingModel.Flat);
        (daily.SoldPerUnit, daily.UnitName, daily.Period, daily.CancellationRule) = (true, "apartment", BillingPeriod.Day, CancellationRule.Immediately);
        Version(daily, Flat(0.10m));
        // Plans first, then their versions: a plan and its current version point at each other.
        await db.SaveChangesAsync(ct);
        foreach (var (plan, version) in versions)
        {
            db.PlanVersions.Add(version);
            plan.CurrentVersionId = version.Id;
        }
        await db.SaveChangesAsync(ct);

        // One live subscription per demo customer, seats partly assigned.
        var acme = await db.Organizations.Include(o => o.Members).SingleAsync(o => o.Name == "Acme Prepaid Ltd", ct);
        var acmeErp = Domain.Subscriptions.Subscription.Activate(acme.Id, standard.Id, standard.CurrentVersionId!.Value, acme.Currency,
            Term.Of(today.AddMonths(-3), BillingPeriod.Month, 12, today.AddMonths(-3).Day), 1);
        acmeErp.AddSeats(new SeatCount(finance.Id, finance.Name, 2), acmeErp.TermStart);
        acmeErp.AddSeats(new SeatCount(operations.Id, operations.Name, 2), acmeErp.TermStart);
        acmeErp.AddSeats(new SeatCount(mobile.Id, mobile.Name, 1), acmeErp.TermStart);
        acmeErp.AddSeats(new SeatCount(full.Id, full.Name, 1), acmeErp.TermStart);
        db.Subscriptions.Add(acmeErp);
        var owner = acme.Members.Single(m => m.Role == MemberRole.Owner);
        (owner.SeatSubscriptionId, owner.SeatTypeId) = (acmeErp.Id, full.Id);
        var admin = acme.Members.Single(m => m.Role == MemberRole.Admin);
        (admin.SeatSubscriptionId, admin.SeatTypeId) = (acmeErp.Id, finance.Id);

        var globex = await db.Organizations.SingleAsync(o => o.Name == "Globex Postpaid GmbH", ct);
        var globexTv = Domain.Subscriptions.Subscription.Activate(globex.Id, tvMax.Id, tvMax.CurrentVersionId!.Value, globex.Currency,
            Term.Of(today.AddMonths(-1), BillingPeriod.Month, 12, today.AddMonths(-1).Day), 1);
        globexTv.Items.Add(new SubscriptionItem
        {
            OrganizationId = globex.Id, SubscriptionId = globexTv.Id, Kind = ItemKind.PhysicalGood, ProductId = setTopBox.Id,
            Name = setTopBox.Name, Quantity = 1, SerialNumber = "STB-4K-000193", AddedOn = globexTv.TermStart,
        });
        db.Subscriptions.Add(globexTv);

        var initech = await db.Organizations.SingleAsync(o => o.Name == "Initech Pty", ct);
        foreach (var (apartment, months) in new[] { ("Apartment 101", 2), ("Apartment 102", 5), ("Apartment 103", 11) })
        {
            var start = today.AddMonths(months - 12);
            var unit = Domain.Subscriptions.Subscription.Activate(initech.Id, perApartment.Id, perApartment.CurrentVersionId!.Value,
                initech.Currency, Term.Of(start, BillingPeriod.Month, 12, start.Day), 1);
            unit.UnitLabel = apartment;
            db.Subscriptions.Add(unit);
        }
        await db.SaveChangesAsync(ct);

        // Vouchers (seed 004): an online batch of wallet credit sold in the portal, a print batch of SMS units.
        Vouchers(new VoucherBatch
        {
            OperatorId = op.Id, Name = "Wallet voucher USD 25", Kind = VoucherKind.Online, Amount = 25m, Currency = "USD",
            Price = 25m, PriceCurrency = "USD", Count = 50, ExpiresOn = today.AddYears(1),
        });
        Vouchers(new VoucherBatch { OperatorId = op.Id, Name = "SMS 500", Kind = VoucherKind.Print, Units = 500, Meter = "sms", Count = 100, ExpiresOn = today.AddYears(1) });
        await db.SaveChangesAsync(ct);

        void Vouchers(VoucherBatch batch)
        {
            db.VoucherBatches.Add(batch);
            var codes = new HashSet<string>(StringComparer.Ordinal);
            while (codes.Count < batch.Count) codes.Add(VoucherCode.New(RandomNumberGenerator.GetBytes(VoucherCode.RandomBytes)));
            db.Vouchers.AddRange(codes.Select(code => new Voucher { BatchId = batch.Id, Code = code, Status = VoucherStatus.Available }));
        }

        Product Product(Operator o, string code, string name, ProductKind kind, string description)
        {
            var product = new Product { OperatorId = o.Id, Code = code, Name = name, Kind = kind, Description = description };
            db.Products.Add(product);
            return product;
        }

        Plan Plan(Product product, string code, string name, PricingModel model, int? maxQuantity = null)
        {
            var plan = new Plan { ProductId = product.Id, Code = code, Name = name, Model = model, MaxQuantity = maxQuantity };
            db.Plans.Add(plan);
            return plan;
        }

        SeatType Seat(Plan plan, string code, string name, int order, params string[] modules)
        {
            var seat = new SeatType { PlanId = plan.Id, Code = code, Name = name, SortOrder = order, Modules = [.. modules] };
            plan.SeatTypes.Add(seat);
            return seat;
        }

        void Version(Plan plan, Func<string, decimal, PlanPrice> price)
        {
            // The same figures in each demo currency, scaled: USD 1, EUR 0.9, AUD 1.5.
            var version = new PlanVersion
            {
                PlanId = plan.Id, Number = 1,
                Prices = [price("USD", 1m), price("EUR", 0.9m), price("AUD", 1.5m)],
            };
            versions.Add((plan, version));
        }
    }

    /// <summary>
    /// A one-page SLA for the demo, drawn like invoices: in the embedded DejaVu font, cut down to the
    /// glyphs it uses (see <see cref="FontSubset"/>), so its text can be read, searched and copied.
    /// </summary>
    private static byte[] SlaPdf(string planName)
    {
        string[] lines =
        [
            $"{planName} – service level agreement", "", "Availability: 99.9 % per calendar month.",
            "Priority support: first response within 1 hour, 24/7.", "Service credit: 10 % of the monthly fee per 0.1 % below target.",
        ];
        var regular = EmbeddedFonts.Read(EmbeddedFonts.Regular);
        using var full = EmbeddedFonts.Typeface(regular);
        using var measure = new SKFont(full, 12f);
        using var typeface = EmbeddedFonts.Typeface(FontSubset.Keep(regular, lines.SelectMany(line => measure.GetGlyphs(line))));
        using var font = new SKFont(typeface, 12f);
        using var ink = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        using var output = new MemoryStream();
        using (var document = SKDocument.CreatePdf(output, new SKDocumentPdfMetadata { Title = $"{planName} service level agreement", Creator = "Accrue demo" }))
        {
            var canvas = document.BeginPage(595f, 842f);
            for (var i = 0; i < lines.Length; i++) canvas.DrawText(lines[i], 56f, 80f + i * 20f, SKTextAlign.Left, font, ink);
            document.EndPage();
            document.Close();
        }
        return output.ToArray();
    }

    private static Func<string, decimal, PlanPrice> Flat(decimal amount) =>
        (currency, scale) => new PlanPrice(currency, Money.Round(amount * scale, currency), []);

    private static Func<string, decimal, PlanPrice> Seats(decimal baseAmount, params (SeatType Seat, decimal Price)[] seats) =>
        (currency, scale) => new PlanPrice(currency, Money.Round(baseAmount * scale, currency), [], 1,
            seats.ToDictionary(s => s.Seat.Id, s => Money.Round(s.Price * scale, currency)));
}
