namespace Accrue.Domain.Accounts;

public enum BillingMode { Prepaid, Postpaid }

/// <summary>Deleted is final: a closed account whose members' personal data was erased; its invoices stay (decision 0014).</summary>
public enum OrganizationStatus { Active, Suspended, Closed, Deleted }

public enum MemberRole { Owner, Admin, Member }

/// <summary>What a member may do in the portal. The Owner holds all of them implicitly (DESIGN §2).</summary>
[Flags]
public enum Permissions
{
    None = 0,
    ManageAccount = 1,
    ManageMembers = 2,
    ViewBilling = 4,
    ManageSupport = 8,
    All = ManageAccount | ManageMembers | ViewBilling | ManageSupport,
}

/// <summary>What operator or partner staff may do beyond working the console.</summary>
[Flags]
public enum StaffPermissions
{
    None = 0,
    /// <summary>Open a customer's portal as one of its members ("log in as").</summary>
    Impersonate = 1,
    /// <summary>Grant and remove staff permissions and team memberships.</summary>
    ManageStaff = 2,
}
