using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Accrue.Web.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class InvoiceSellerCopy : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "SellerLegalAddress",
                table: "Invoices",
                type: "character varying(500)",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SellerLegalName",
                table: "Invoices",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SellerTaxRegistration",
                table: "Invoices",
                type: "character varying(60)",
                maxLength: 60,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "SellerLegalAddress",
                table: "Invoices");

            migrationBuilder.DropColumn(
                name: "SellerLegalName",
                table: "Invoices");

            migrationBuilder.DropColumn(
                name: "SellerTaxRegistration",
                table: "Invoices");
        }
    }
}
