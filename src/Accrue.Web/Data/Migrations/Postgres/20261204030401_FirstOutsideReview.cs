using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Accrue.Web.Data.Migrations.Postgres
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
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<DateOnly>(
                name: "EndsOn",
                table: "SubscriptionItems",
                type: "date",
                nullable: true);

            migrationBuilder.AddColumn<DateOnly>(
                name: "StartsOn",
                table: "SubscriptionItems",
                type: "date",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "RequestKey",
                table: "Payments",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "LogTextBody",
                table: "Outbox",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "RequestKey",
                table: "Orders",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "LegalAddress",
                table: "Operators",
                type: "character varying(500)",
                maxLength: 500,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "LegalName",
                table: "Operators",
                type: "character varying(200)",
                maxLength: 200,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "TaxRegistration",
                table: "Operators",
                type: "character varying(60)",
                maxLength: 60,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<bool>(
                name: "EffectCommitted",
                table: "IdempotencyRecords",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "StartedAt",
                table: "IdempotencyRecords",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "AbandonedAt",
                table: "BillingRuns",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "HeartbeatAt",
                table: "BillingRuns",
                type: "timestamp with time zone",
                nullable: false,
                defaultValue: new DateTimeOffset(new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)));

            migrationBuilder.CreateTable(
                name: "RenewalFailureNotices",
                columns: table => new
                {
                    OrganizationId = table.Column<Guid>(type: "uuid", nullable: false),
                    RunDate = table.Column<DateOnly>(type: "date", nullable: false),
                    RunId = table.Column<Guid>(type: "uuid", nullable: false),
                    SentAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
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
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Account = table.Column<string>(type: "character varying(254)", maxLength: 254, nullable: false),
                    Source = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    At = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SignInAttempts", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "UserSessions",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    UserId = table.Column<Guid>(type: "uuid", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    LastSeenAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    RevokedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
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
