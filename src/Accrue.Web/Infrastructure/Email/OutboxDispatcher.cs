using Accrue.Web.Data;
using Accrue.Web.Infrastructure.Jobs;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Accrue.Web.Infrastructure.Email;

/// <summary>
/// Sends what the outbox holds: by SMTP when a host is configured, otherwise as .eml files in the
/// pickup directory. Rows are leased before sending so several app instances never send one twice;
/// failures are retried with exponential back-off.
/// </summary>
public sealed class OutboxDispatcher(
    IServiceScopeFactory scopes,
    OutboxSignal signal,
    IOptions<EmailOptions> options,
    TimeProvider clock,
    ILogger<OutboxDispatcher> logger) : Dispatcher(signal, logger)
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    protected override TimeSpan PollInterval => options.Value.PollInterval;

    /// <summary>Sends one batch of due messages; returns how many it handled.</summary>
    public override async Task<int> DispatchBatchAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AccrueDb>();
        var now = clock.GetUtcNow();
        var due = await db.Outbox
            .Where(m => m.Status == OutboxStatus.Pending && m.NextAttemptAt <= now && (m.LockedUntil == null || m.LockedUntil < now))
            .OrderBy(m => m.CreatedAt).Select(m => m.Id).Take(20).ToListAsync(cancellationToken);
        if (due.Count == 0) return 0;

        var leasedUntil = now + Lease;
        var handled = 0;
        foreach (var id in due)
        {
            // Claim the row: only one instance's update matches. It re-checks the due time too: another
            // instance may have tried this message since the list above was read and scheduled its retry.
            var claimed = await db.Outbox
                .Where(m => m.Id == id && m.Status == OutboxStatus.Pending && m.NextAttemptAt <= now && (m.LockedUntil == null || m.LockedUntil < now))
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.LockedUntil, leasedUntil), cancellationToken);
            if (claimed == 0) continue;

            var message = await db.Outbox.SingleAsync(m => m.Id == id, cancellationToken);
            try
            {
                await SendAsync(message, cancellationToken);
                message.SentAt = clock.GetUtcNow();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                message.Attempts++;
                message.LastError = e.Message.Length > 500 ? e.Message[..500] : e.Message;
                message.Status = message.Attempts >= options.Value.MaxAttempts ? OutboxStatus.Failed : OutboxStatus.Pending;
                message.NextAttemptAt = clock.GetUtcNow() + TimeSpan.FromSeconds(15 * Math.Pow(2, message.Attempts - 1));
                logger.LogWarning(e, "Sending email {Id} to {To} failed (attempt {Attempt})", message.Id, message.To, message.Attempts);
            }
            message.LockedUntil = null;
            await db.SaveChangesAsync(cancellationToken);
            handled++;
        }
        return handled;
    }

    private async Task SendAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var mime = new MimeMessage
        {
            Subject = message.Subject,
            Body = new BodyBuilder { TextBody = message.TextBody, HtmlBody = message.HtmlBody }.ToMessageBody(),
        };
        mime.From.Add(MailboxAddress.Parse(settings.From));
        mime.To.Add(MailboxAddress.Parse(message.To));
        mime.MessageId = $"{message.Id}@accrue";

        if (string.IsNullOrWhiteSpace(settings.Smtp.Host))
        {
            var directory = Path.GetFullPath(settings.PickupDirectory);
            Directory.CreateDirectory(directory);
            var path = Path.Combine(directory, $"{message.CreatedAt:yyyyMMdd-HHmmss}-{message.Id}.eml");
            await mime.WriteToAsync(path, cancellationToken);
            message.Status = OutboxStatus.WrittenToFile;
            message.FilePath = path;
            return;
        }

        using var smtp = new SmtpClient();
        await smtp.ConnectAsync(settings.Smtp.Host, settings.Smtp.Port, Enum.Parse<SecureSocketOptions>(settings.Smtp.Security), cancellationToken);
        if (!string.IsNullOrEmpty(settings.Smtp.Username))
            await smtp.AuthenticateAsync(settings.Smtp.Username, settings.Smtp.Password ?? "", cancellationToken);
        await smtp.SendAsync(mime, cancellationToken);
        await smtp.DisconnectAsync(true, cancellationToken);
        message.Status = OutboxStatus.Sent;
    }
}
