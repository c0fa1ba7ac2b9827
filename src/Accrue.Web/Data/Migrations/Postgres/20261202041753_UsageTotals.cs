using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Accrue.Web.Data.Migrations.Postgres
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
                    OrganizationId = table.Column<Guid>(type: "uuid", nullable: false),
                    Meter = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Hour = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Quantity = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_UsageTotals", x => new { x.OrganizationId, x.Meter, x.Hour });
                });

            // The totals of the events already stored, by UTC hour whatever the session's time zone.
            migrationBuilder.Sql("""
                INSERT INTO "UsageTotals" ("OrganizationId", "Meter", "Hour", "Quantity")
                SELECT "OrganizationId", "Meter", date_trunc('hour', "OccurredAt" AT TIME ZONE 'UTC') AT TIME ZONE 'UTC', SUM("Quantity")
                FROM "UsageEvents"
                GROUP BY "OrganizationId", "Meter", date_trunc('hour', "OccurredAt" AT TIME ZONE 'UTC');
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
