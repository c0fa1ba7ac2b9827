using Accrue.Domain.Accounts;
using Accrue.Domain.Common;

namespace Accrue.Domain.Tests.Accounts;

public sealed class AccountClosureTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static Organization Active() =>
        new() { Name = "Acme", BillingName = "Acme", Country = "GB", Currency = "GBP", TimeZone = "Europe/London" };

    [Fact]
    public void Nothing_blocks_an_empty_wallet_without_open_bills() =>
        Assert.Empty(AccountClosure.Blockers(0m, "USD", []));

    [Fact]
    public void Every_blocker_is_listed_with_its_figures()
    {
        var blockers = AccountClosure.Blockers(120m, "USD",
            [new OutstandingBill("INV-000015", "EUR", 50m), new OutstandingBill("INV-000012", "EUR", 119m)]);
        Assert.Equal(
            ["Withdraw the remaining wallet balance of USD 120.00", "Settle 2 open bills: INV-000012 (EUR 119.00), INV-000015 (EUR 50.00)"],
            blockers);
    }

    [Fact]
    public void One_open_bill_is_a_bill_and_a_zero_decimal_currency_keeps_its_format()
    {
        Assert.Equal(["Withdraw the remaining wallet balance of JPY 1,500", "Settle 1 open bill: INV-000001 (JPY 900)"],
            AccountClosure.Blockers(1500m, "JPY", [new OutstandingBill("INV-000001", "JPY", 900m)]));
    }

    [Fact]
    public void Suspending_with_blockers_is_a_conflict_that_lists_them_and_changes_nothing()
    {
        var organization = Active();
        var failure = AccountClosure.ChangeStatus(organization, OrganizationStatus.Suspended, "Unpaid", ["Withdraw the remaining wallet balance of USD 1.00"], Now);
        Assert.Equal(FailureKind.Conflict, failure!.Kind);
        Assert.Equal(["Withdraw the remaining wallet balance of USD 1.00"], failure.Errors![AccountClosure.BlockersKey]);
        Assert.Contains("USD 1.00", failure.Message, StringComparison.Ordinal);
        Assert.Equal((OrganizationStatus.Active, null, null), (organization.Status, organization.StatusReason, organization.StatusChangedAt));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("   ")]
    public void A_reason_is_required(string? reason)
    {
        var organization = Active();
        var failure = AccountClosure.ChangeStatus(organization, OrganizationStatus.Closed, reason, [], Now);
        Assert.Equal(FailureKind.Invalid, failure!.Kind);
        Assert.Contains("Reason", failure.Errors!.Keys);
        Assert.Equal(OrganizationStatus.Active, organization.Status);
    }

    [Fact]
    public void A_reason_is_at_most_500_characters()
    {
        Assert.NotNull(AccountClosure.ChangeStatus(Active(), OrganizationStatus.Closed, new string('x', 501), [], Now));
        Assert.Null(AccountClosure.ChangeStatus(Active(), OrganizationStatus.Closed, new string('x', 500), [], Now));
    }

    [Fact]
    public void Suspend_close_and_reactivate_set_the_status_the_reason_and_the_time()
    {
        var organization = Active();
        Assert.Null(AccountClosure.ChangeStatus(organization, OrganizationStatus.Suspended, " Unpaid ", [], Now));
        Assert.Equal((OrganizationStatus.Suspended, "Unpaid", Now), (organization.Status, organization.StatusReason, organization.StatusChangedAt));
        Assert.Null(AccountClosure.ChangeStatus(organization, OrganizationStatus.Closed, "Gone", [], Now.AddDays(1)));
        Assert.Equal((OrganizationStatus.Closed, "Gone", Now.AddDays(1)), (organization.Status, organization.StatusReason, organization.StatusChangedAt));
        // Reactivating is never blocked: a closed account comes back even if it owes something.
        Assert.Null(AccountClosure.ChangeStatus(organization, OrganizationStatus.Active, "Back", ["Settle 1 open bill: X (EUR 1.00)"], Now.AddDays(2)));
        Assert.Equal(OrganizationStatus.Active, organization.Status);
    }

    [Theory]
    [InlineData(OrganizationStatus.Active, OrganizationStatus.Active)]
    [InlineData(OrganizationStatus.Suspended, OrganizationStatus.Suspended)]
    [InlineData(OrganizationStatus.Closed, OrganizationStatus.Suspended)]
    [InlineData(OrganizationStatus.Closed, OrganizationStatus.Closed)]
    public void Transitions_that_make_no_sense_are_conflicts(OrganizationStatus from, OrganizationStatus to)
    {
        var organization = Active();
        organization.Status = from;
        Assert.Equal(FailureKind.Conflict, AccountClosure.ChangeStatus(organization, to, "Why", [], Now)!.Kind);
        Assert.Equal(from, organization.Status);
    }

    [Theory]
    [InlineData(OrganizationStatus.Active)]
    [InlineData(OrganizationStatus.Suspended)]
    [InlineData(OrganizationStatus.Deleted)]
    public void Only_a_closed_organization_can_be_deleted(OrganizationStatus from)
    {
        var organization = Active();
        organization.Status = from;
        var failure = AccountClosure.Delete(organization, "Asked to be forgotten", [], Now);
        Assert.Equal((FailureKind.Conflict, "organization_not_closed"), (failure!.Kind, failure.Code));
        Assert.Equal(from, organization.Status);
    }

    [Fact]
    public void Deleting_a_closed_organization_with_blockers_lists_them_and_changes_nothing()
    {
        var organization = Active();
        organization.Status = OrganizationStatus.Closed;
        var failure = AccountClosure.Delete(organization, "Gone", ["Settle 1 open bill: INV-000001 (EUR 5.00)"], Now);
        Assert.Equal(("organization_has_blockers", "The organization can't be deleted yet. Settle 1 open bill: INV-000001 (EUR 5.00)."), (failure!.Code, failure.Message));
        Assert.Equal(OrganizationStatus.Closed, organization.Status);
    }

    [Fact]
    public void A_deleted_organization_keeps_the_reason_and_time_and_cannot_be_reactivated()
    {
        var organization = Active();
        organization.Status = OrganizationStatus.Closed;
        Assert.Equal(FailureKind.Invalid, AccountClosure.Delete(organization, " ", [], Now)!.Kind);
        Assert.Null(AccountClosure.Delete(organization, " Asked to be forgotten ", [], Now));
        Assert.Equal((OrganizationStatus.Deleted, "Asked to be forgotten", Now), (organization.Status, organization.StatusReason, organization.StatusChangedAt));
        Assert.Equal(FailureKind.Conflict, AccountClosure.ChangeStatus(organization, OrganizationStatus.Active, "Back", [], Now)!.Kind);
        Assert.Equal(OrganizationStatus.Deleted, organization.Status);
    }
}
