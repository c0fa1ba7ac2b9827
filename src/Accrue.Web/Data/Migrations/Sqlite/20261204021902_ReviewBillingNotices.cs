using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Accrue.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ReviewBillingNotices : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "UnpaidRunId",
                table: "Subscriptions",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "RenewalFailureNotices",
                columns: table => new
                {
                    OrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    RunDate = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    RunId = table.Column<Guid>(type: "TEXT", nullable: false),
                    SentAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RenewalFailureNotices", x => new { x.OrganizationId, x.RunDate });
                    table.ForeignKey(
                        name: "FK_RenewalFailureNotices_Organizations_OrganizationId",
                        column: x => x.OrganizationId,
                        principalTable: "Organizations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "RenewalFailureNotices");

            migrationBuilder.DropColumn(
                name: "UnpaidRunId",
                table: "Subscriptions");
        }
    }
}
