using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Accrue.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class UsageTotals : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "UsageTotals",
                columns: table => new
                {
                    OrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Meter = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Hour = table.Column<long>(type: "INTEGER", nullable: false),
                    Quantity = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_UsageTotals", x => new { x.OrganizationId, x.Meter, x.Hour });
                });

            // The totals of the events already stored; instants are UTC ticks here, so an hour is a whole multiple of 36,000,000,000.
            migrationBuilder.Sql("""
                INSERT INTO "UsageTotals" ("OrganizationId", "Meter", "Hour", "Quantity")
                SELECT "OrganizationId", "Meter", ("OccurredAt" / 36000000000) * 36000000000, SUM("Quantity")
                FROM "UsageEvents"
                GROUP BY "OrganizationId", "Meter", ("OccurredAt" / 36000000000) * 36000000000;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "UsageTotals");
        }
    }
}
