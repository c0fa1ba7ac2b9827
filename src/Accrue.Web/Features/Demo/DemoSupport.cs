using Accrue.Domain.Accounts;
using Accrue.Domain.Support;
using Accrue.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Demo;

/// <summary>The demo support desk: teams, ticket types, a FAQ and one conversation with Acme.</summary>
public static class DemoSupport
{
    public static async Task SeedAsync(AccrueDb db, TimeProvider clock, CancellationToken ct)
    {
        var staff = await db.Users.Where(u => u.Kind == UserKind.Staff).ToDictionaryAsync(u => u.Email!, ct);
        var dana = staff["admin@demo-telecom.test"];
        var sam = staff["support@demo-telecom.test"];

        var care = Team("Customer Care", "care@demo-telecom.test", sam, dana);
        var network = Team("Network Operations", "noc@demo-telecom.test", dana);
        var billing = Team("Billing", "billing@demo-telecom.test", dana);
        var interruption = new TicketType { Name = "Service interruption", Description = "A service is down or degraded.", TeamId = network.Id, DefaultPriority = TicketPriority.High };
        db.TicketTypes.AddRange(
            interruption,
            new TicketType { Name = "Complaint", Description = "Something went wrong and you want it put right.", TeamId = care.Id },
            new TicketType { Name = "General issue", Description = "Any other question or request.", TeamId = care.Id, DefaultPriority = TicketPriority.Low },
            new TicketType { Name = "Billing question", Description = "Invoices, payments, wallet and vouchers.", TeamId = billing.Id });

        var now = clock.GetUtcNow();
        var gettingStarted = new FaqCategory { Name = "Getting started", Slug = "getting-started", Position = 1 };
        var money = new FaqCategory { Name = "Billing and payments", Slug = "billing-and-payments", Position = 2 };
        var help = new FaqCategory { Name = "Support", Slug = "support", Position = 3 };
        db.FaqCategories.AddRange(gettingStarted, money, help);
        Article(gettingStarted, "How do I add a member to my organization?",
            "Owners and members allowed to **manage members** open *Members* in the portal and choose **Add member**.\n\nThe new member gets an invitation email with a link that works for 7 days.", publish: true);
        Article(gettingStarted, "When is my subscription renewed?",
            "Each subscription shows its **next renewal date** under *Subscriptions*. Auto-renewing subscriptions renew on that date; the others expire.\n\nWe email the owner 30, 15 and 7 days before a term ends.", publish: true);
        Article(money, "How do I top up my wallet?",
            "Prepaid organizations open *Wallet* and choose **Top up**:\n\n1. Enter the amount.\n2. Pay by card.\n\nThe credit is in your wallet as soon as the payment succeeds. You can also **redeem a voucher** under *Vouchers*.", publish: true);
        Article(money, "How do I pay an outstanding bill?",
            "Postpaid organizations open *Bills*, tick the bills to pay and pay them together by card or with the card on file.", publish: true);
        Article(help, "What is remote support?",
            "With your permission, our support staff can open your portal **as one of your members** for at most 30 minutes to help you. Every action they take is recorded with their name and the reason.\n\nThe owner sees every session under *Activity* and can turn remote support off in *Settings*.", publish: true);
        Article(gettingStarted, "How do I change my plan?",
            "Open the subscription under *Subscriptions* and choose **Change plan**. Moving up (for example to ERP Premium) starts at once with a credit for the unused part of the current plan; moving down takes effect as the quote shows.", publish: true);
        Article(gettingStarted, "What is a minimum term?",
            "Some plans (such as TV Max) are sold for at least 12 months. You can still cancel, but the cancellation takes effect at the end of the minimum term.", publish: true);
        Article(money, "Where do I find my invoices?",
            "Open *Invoices* in the portal: every invoice and credit note can be downloaded as a PDF. Postpaid bills also appear under *Bills* until they are paid.", publish: true);
        Article(help, "How do I open a support ticket?",
            "Open *Support* and choose **New ticket**, pick the type that fits (a service interruption goes straight to our network team) and attach screenshots if they help.", publish: true);
        Article(help, "Planned maintenance windows", "Draft: the schedule for next quarter's maintenance.", publish: false);

        var acme = await db.Organizations.Where(o => o.Name == "Acme Prepaid Ltd").Select(o => o.Id).SingleAsync(ct);
        var owner = await db.Members.Where(m => m.OrganizationId == acme && m.Role == MemberRole.Owner).SingleAsync(ct);
        var number = await db.NextAsync(Features.Support.TicketCommands.CounterKey, ct);
        var raised = Ticket.Raise(number, acme, interruption, null, "SMS delivery delayed",
            "Since this morning our SMS take up to 20 minutes to arrive. Can you check?",
            new MessageAuthor(owner.UserId, owner.Name, IsStaff: false, owner.Id), [], now.AddHours(-3));
        var ticket = raised.Value ?? throw new InvalidOperationException(raised.Failure!.Message);
        ticket.Assign(dana.Id, dana.DisplayName);
        ticket.StaffReply(new MessageAuthor(dana.Id, dana.DisplayName, IsStaff: true), "Our SMS gateway is queueing messages; the provider is on it.", isInternal: true, TicketStatus.InProgress, [], now.AddHours(-2));
        ticket.StaffReply(new MessageAuthor(dana.Id, dana.DisplayName, IsStaff: true), "We are working on it with our SMS provider and will update you within the hour.", isInternal: false, null, [], now.AddHours(-2));
        db.Tickets.Add(ticket);
        await db.SaveChangesAsync(ct);

        // A ticket of the partner's own customer (Initech, under Northwind), handled by the partner's staff.
        var pat = staff["staff@northwind.test"];
        var initech = await db.Organizations.Where(o => o.Name == "Initech Pty").Select(o => o.Id).SingleAsync(ct);
        var initechOwner = await db.Members.Where(m => m.OrganizationId == initech && m.Role == MemberRole.Owner).SingleAsync(ct);
        var complaint = await db.TicketTypes.Where(t => t.Name == "Complaint").SingleAsync(ct);
        var partnerRaised = Ticket.Raise(await db.NextAsync(Features.Support.TicketCommands.CounterKey, ct), initech, complaint, null,
            "Intercom app logs residents out", "Residents of apartment 102 are signed out of the intercom app every evening.",
            new MessageAuthor(initechOwner.UserId, initechOwner.Name, IsStaff: false, initechOwner.Id), [], now.AddHours(-5));
        var partnerTicket = partnerRaised.Value ?? throw new InvalidOperationException(partnerRaised.Failure!.Message);
        partnerTicket.Assign(pat.Id, pat.DisplayName);
        partnerTicket.StaffReply(new MessageAuthor(pat.Id, pat.DisplayName, IsStaff: true), "Thanks, we are reproducing it on a test apartment and will come back to you today.", isInternal: false, TicketStatus.InProgress, [], now.AddHours(-4));
        db.Tickets.Add(partnerTicket);
        await db.SaveChangesAsync(ct);

        SupportTeam Team(string name, string email, params User[] members)
        {
            var team = new SupportTeam { Name = name, Email = email };
            team.Members.AddRange(members.Select(u => new SupportTeamMember { TeamId = team.Id, UserId = u.Id }));
            db.SupportTeams.Add(team);
            return team;
        }

        void Article(FaqCategory category, string title, string body, bool publish)
        {
            var article = new FaqArticle { CategoryId = category.Id, Title = title, Slug = FaqArticle.SlugFrom(title), Body = body };
            if (publish) article.Publish(now);
            db.FaqArticles.Add(article);
        }
    }
}
