using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Accrue.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class FirstOutsideReview : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "UnpaidRunId",
                table: "Subscriptions",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateOnly>(
                name: "EndsOn",
                table: "SubscriptionItems",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateOnly>(
                name: "StartsOn",
                table: "SubscriptionItems",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "RequestKey",
                table: "Payments",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "LogTextBody",
                table: "Outbox",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "RequestKey",
                table: "Orders",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "LegalAddress",
                table: "Operators",
                type: "TEXT",
                maxLength: 500,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "LegalName",
                table: "Operators",
                type: "TEXT",
                maxLength: 200,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "TaxRegistration",
                table: "Operators",
                type: "TEXT",
                maxLength: 60,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<bool>(
                name: "EffectCommitted",
                table: "IdempotencyRecords",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<long>(
                name: "StartedAt",
                table: "IdempotencyRecords",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "AbandonedAt",
                table: "BillingRuns",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "HeartbeatAt",
                table: "BillingRuns",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

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

            migrationBuilder.CreateTable(
                name: "SignInAttempts",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Account = table.Column<string>(type: "TEXT", maxLength: 254, nullable: false),
                    Source = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    At = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SignInAttempts", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "UserSessions",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    UserId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    LastSeenAt = table.Column<long>(type: "INTEGER", nullable: false),
                    RevokedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_UserSessions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_UserSessions_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Orders_RequestKey",
                table: "Orders",
                column: "RequestKey",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_SignInAttempts_Account_Source_At",
                table: "SignInAttempts",
                columns: new[] { "Account", "Source", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_SignInAttempts_At",
                table: "SignInAttempts",
                column: "At");

            migrationBuilder.CreateIndex(
                name: "IX_UserSessions_LastSeenAt",
                table: "UserSessions",
                column: "LastSeenAt");

            migrationBuilder.CreateIndex(
                name: "IX_UserSessions_UserId",
                table: "UserSessions",
                column: "UserId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "RenewalFailureNotices");

            migrationBuilder.DropTable(
                name: "SignInAttempts");

            migrationBuilder.DropTable(
                name: "UserSessions");

            migrationBuilder.DropIndex(
                name: "IX_Orders_RequestKey",
                table: "Orders");

            migrationBuilder.DropColumn(
                name: "UnpaidRunId",
                table: "Subscriptions");

            migrationBuilder.DropColumn(
                name: "EndsOn",
                table: "SubscriptionItems");

            migrationBuilder.DropColumn(
                name: "StartsOn",
                table: "SubscriptionItems");

            migrationBuilder.DropColumn(
                name: "RequestKey",
                table: "Payments");

            migrationBuilder.DropColumn(
                name: "LogTextBody",
                table: "Outbox");

            migrationBuilder.DropColumn(
                name: "RequestKey",
                table: "Orders");

            migrationBuilder.DropColumn(
                name: "LegalAddress",
                table: "Operators");

            migrationBuilder.DropColumn(
                name: "LegalName",
                table: "Operators");

            migrationBuilder.DropColumn(
                name: "TaxRegistration",
                table: "Operators");

            migrationBuilder.DropColumn(
                name: "EffectCommitted",
                table: "IdempotencyRecords");

            migrationBuilder.DropColumn(
                name: "StartedAt",
                table: "IdempotencyRecords");

            migrationBuilder.DropColumn(
                name: "AbandonedAt",
                table: "BillingRuns");

            migrationBuilder.DropColumn(
                name: "HeartbeatAt",
                table: "BillingRuns");
        }
    }
}
