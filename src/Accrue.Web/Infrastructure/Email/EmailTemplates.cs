using System.Net;
using System.Text.RegularExpressions;

namespace Accrue.Web.Infrastructure.Email;

/// <summary>
/// The messages Accrue sends, with <c>{{Placeholder}}</c> fields. Values are HTML-encoded in the HTML
/// part; a placeholder without a value is an error, so a message never goes out half-filled.
/// </summary>
public static partial class EmailTemplates
{
    /// <summary>
    /// A message. <see cref="Secrets"/> names the placeholders whose values only the recipient may read
    /// (single-use links, voucher codes): the mail log and the API show the message with them hidden
    /// (<see cref="Render"/>'s <c>Log</c> text), whatever the delivery mode.
    /// </summary>
    public sealed record Template(string Key, string Subject, string Body)
    {
        public IReadOnlyList<string> Secrets { get; init; } = [];
    }

    /// <summary>What the mail log shows instead of a secret value.</summary>
    public static string Hidden(string placeholder) => placeholder == "Codes"
        ? "[voucher codes hidden: only the recipient can read them]"
        : "[single-use link hidden: only the recipient can open it]";

    public static readonly Template PasswordReset = new("password-reset",
        "Reset your {{Operator}} password",
        """
        Hello {{Name}},

        Someone asked to reset the password of your {{Operator}} account. If it was you, choose a new password here:

        {{Link}}

        The link works once and expires in 60 minutes. If you did not ask for this, ignore this message: your password stays as it is.
        """)
    { Secrets = ["Link"] };

    public static readonly Template SignInLocked = new("sign-in-locked",
        "Sign-in to your {{Operator}} account was paused",
        """
        Hello {{Name}},

        Someone typed a wrong password for your {{Operator}} account {{Failures}} times from {{Source}}; the last try was at {{At}} UTC. Sign-in from there is paused for {{Minutes}} minutes. From anywhere else you sign in as usual.

        If it was you, wait or choose a new password here:

        {{Link}}

        If it wasn't you, your password held. Consider choosing a longer one and turning on two-factor sign-in in your settings.
        """);

    public static readonly Template PasswordChanged = new("password-changed",
        "Your {{Operator}} password was changed",
        """
        Hello {{Name}},

        The password of your {{Operator}} account was changed on {{At}} UTC ({{How}}).

        If this was you, there is nothing to do.

        This wasn't me: reset your password here, which signs out every session:

        {{Link}}
        """);

    public static readonly Template EmailChanged = new("email-changed",
        "The email address of your {{Operator}} account was changed",
        """
        Hello {{Name}},

        The email address you sign in to your {{Operator}} account with was changed on {{At}} UTC, from this address to {{NewEmail}}. Messages about the account now go there.

        If this was you, there is nothing to do.

        This wasn't me: restore this address and choose a new password here (the link works for 7 days, once), which signs out every session:

        {{Link}}
        """)
    { Secrets = ["Link"] };

    public static readonly Template BillReminder = new("bill-reminder",
        "Bill {{Invoice}} is due on {{DueOn}}",
        """
        Hello {{Name}},

        A reminder: bill {{Invoice}} for {{Organization}} ({{Total}}) is due on {{DueOn}}.

        Pay it in the portal under Bills.
        """);

    public static readonly Template RenewalUnpaid = new("renewal-unpaid",
        "Renewals for {{Organization}} could not be paid",
        """
        Hello {{Name}},

        {{Count}} subscription(s) of {{Organization}} reached the end of their term, but the wallet did not
        hold enough to renew them ({{Needed}} needed). They are past due: top up the wallet in the portal
        and they renew at the next billing run.
        """);

    public static readonly Template BillOverdue = new("bill-overdue",
        "Bill {{Invoice}} is overdue",
        """
        Hello {{Name}},

        Bill {{Invoice}} for {{Organization}} ({{Total}}) was due on {{DueOn}} and is still unpaid.

        Pay it in the portal under Bills. An organization with bills overdue for {{GraceDays}} days is suspended until they are paid.
        """);

    public static readonly Template OrderReceipt = new("order-receipt",
        "Receipt for order {{Order}}",
        """
        Hello {{Name}},

        Thank you: order {{Order}} for {{Organization}} is paid and already available.

        {{Description}}
        Total paid: {{Total}}

        The invoice is in the portal under Orders & payments.
        """);

    public static readonly Template VouchersBought = new("vouchers-bought",
        "Your voucher codes from order {{Order}}",
        """
        Hello {{Name}},

        Thank you: order {{Order}} for {{Organization}} is paid. Your {{Batch}} voucher codes ({{Value}} each, valid until {{ExpiresOn}}):

        {{Codes}}

        Each code redeems once, in the portal under Vouchers. Keep them safe: the portal shows only their last symbols from now on.
        """)
    { Secrets = ["Codes"] };

    public static readonly Template Invitation = new("invitation",
        "You're invited to {{Organization}} on {{Operator}}",
        """
        Hello {{Name}},

        {{InvitedBy}} added you to {{Organization}} on the {{Operator}} portal. Set your password to sign in:

        {{Link}}

        The link expires in 7 days.
        """)
    { Secrets = ["Link"] };

    public static readonly Template ConfirmEmailChange = new("confirm-email-change",
        "Confirm your new email address",
        """
        Hello {{Name}},

        You asked to change the email address of your {{Operator}} account to this one. Confirm it here:

        {{Link}}

        Until you confirm, you keep signing in with your current address.
        """)
    { Secrets = ["Link"] };

    public static readonly Template OwnershipTransferred = new("ownership-transferred",
        "You are now the owner of {{Organization}}",
        """
        Hello {{Name}},

        {{PreviousOwner}} transferred the ownership of {{Organization}} to you. As the owner you hold every permission on the account.
        """);

    public static readonly Template LowUnitBalance = new("low-unit-balance",
        "{{Meter}} balance is low: {{Balance}} {{Unit}} left",
        """
        Hello {{Name}},

        {{Organization}} has {{Balance}} {{Unit}} of {{Meter}} left, below the alert level of {{Threshold}}.

        Buy more units before they run out:

        {{Link}}

        We send this once each time the balance falls below the alert level.
        """);

    public static readonly Template RenewalUpcoming = new("renewal-upcoming",
        "{{Subscription}} renews after {{LastDay}}",
        """
        Hello {{Name}},

        {{Subscription}} for {{Organization}} runs until {{LastDay}} ({{When}}) and then renews automatically for {{Amount}}, {{PaidBy}}.

        Nothing to do if that suits you. To change seats or the term, or to stop the renewal, go to:

        {{Link}}

        We remind you {{Thresholds}} days before a term ends.
        """);

    public static readonly Template SubscriptionExpiring = new("subscription-expiring",
        "{{Subscription}} runs until {{LastDay}}",
        """
        Hello {{Name}},

        {{Subscription}} for {{Organization}} does not renew automatically: it runs until {{LastDay}} ({{When}}), and what it includes stops after that day.

        Renew it before then to keep it:

        {{Link}}

        We remind you {{Thresholds}} days before a term ends.
        """);

    public static readonly Template TrialEnding = new("trial-ending",
        "Your trial of {{Subscription}} runs until {{LastDay}}",
        """
        Hello {{Name}},

        The trial of {{Subscription}} for {{Organization}} runs until {{LastDay}} ({{When}}). {{Then}}

        {{Link}}
        """);

    public static readonly Template WalletLow = new("wallet-low",
        "Wallet balance is low: {{Balance}}",
        """
        Hello {{Name}},

        The wallet of {{Organization}} holds {{Balance}}, below the alert level of {{Threshold}}. Orders and automatic renewals are paid from it.

        Top it up here:

        {{Link}}

        We send this once each time the balance falls below the alert level.
        """);

    public static readonly Template WalletShortfall = new("wallet-shortfall",
        "Top up {{Shortfall}}: renewals due by {{Until}} need {{Needed}}",
        """
        Hello {{Name}},

        Automatic renewals of {{Organization}} due by {{Until}} need {{Needed}} from the wallet, which holds {{Balance}}:

        {{Renewals}}

        Top up at least {{Shortfall}} before then, or the renewals can't be paid and the subscriptions fall past due:

        {{Link}}
        """);

    public static readonly Template TicketRaised = new("ticket-raised",
        "[#{{Number}}] New {{Type}} ticket from {{Organization}}: {{Subject}}",
        """
        A new ticket for {{Team}} ({{Priority}} priority).

        {{Organization}}: {{Subject}}

        {{Body}}

        Open it in the console:

        {{Link}}
        """);

    public static readonly Template TicketCustomerReply = new("ticket-customer-reply",
        "[#{{Number}}] {{Organization}} replied: {{Subject}}",
        """
        {{Organization}} replied on ticket #{{Number}} ({{Type}}, for {{Team}}):

        {{Body}}

        Open it in the console:

        {{Link}}
        """);

    public static readonly Template TicketStaffReply = new("ticket-staff-reply",
        "[#{{Number}}] New reply: {{Subject}}",
        """
        Hello {{Name}},

        Our support team replied on your ticket #{{Number}}, “{{Subject}}” (now {{Status}}):

        {{Body}}

        Read the conversation and reply in the portal:

        {{Link}}
        """);

    public static readonly Template TicketStatusChanged = new("ticket-status-changed",
        "[#{{Number}}] Your ticket is now {{Status}}: {{Subject}}",
        """
        Hello {{Name}},

        Your ticket #{{Number}}, “{{Subject}}”, is now {{Status}}.

        See it in the portal:

        {{Link}}
        """);

    public static IReadOnlyList<Template> All { get; } = [PasswordReset, Invitation, ConfirmEmailChange, OwnershipTransferred, SignInLocked, PasswordChanged, EmailChanged];

    /// <summary>The message as sent (subject, text, HTML) and its text as the mail log shows it, secrets hidden.</summary>
    public static (string Subject, string Text, string Html, string Log) Render(Template template, IReadOnlyDictionary<string, string> values)
    {
        var subject = Fill(template.Subject, values, encode: false);
        var text = Fill(template.Body, values, encode: false);
        var html = "<div style=\"font-family:system-ui,sans-serif;font-size:15px;line-height:1.5\">"
            + string.Join("", Fill(template.Body, values, encode: true).Split("\n\n").Select(p => $"<p>{Linkify(p.Trim())}</p>"))
            + "</div>";
        var shown = new Dictionary<string, string>(values);
        foreach (var secret in template.Secrets) shown[secret] = Hidden(secret);
        var log = Fill(template.Body, shown, encode: false);
        return (subject, text, html, log);
    }

    private static string Fill(string text, IReadOnlyDictionary<string, string> values, bool encode) =>
        Placeholder().Replace(text, m => values.TryGetValue(m.Groups[1].Value, out var v)
            ? encode ? WebUtility.HtmlEncode(v) : v
            : throw new InvalidOperationException($"Email placeholder {{{{{m.Groups[1].Value}}}}} has no value."));

    private static string Linkify(string encodedParagraph) =>
        Url().Replace(encodedParagraph, m => $"<a href=\"{m.Value}\">{m.Value}</a>");

    [GeneratedRegex(@"\{\{(\w+)\}\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"https?://[^\s<]+")]
    private static partial Regex Url();
}
