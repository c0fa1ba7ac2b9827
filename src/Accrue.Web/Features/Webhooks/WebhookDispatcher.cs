using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Accrue.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Accrue.Web.Features.Webhooks;

/// <summary>
/// POSTs due deliveries. Rows are claimed with a conditional UPDATE before sending (as the email
/// outbox does) that re-checks status, due time and lease atomically, so several app instances never
/// send one delivery twice, nor before its retry is due; a failure is retried
/// with exponential back-off until the delivery's retry window closes, then it is Failed.
/// </summary>
public sealed class WebhookDispatcher(
    IServiceScopeFactory scopes,
    IHttpClientFactory httpClients,
    WebhookSignal signal,
    IOptions<WebhookOptions> options,
    TimeProvider clock,
    ILogger<WebhookDispatcher> logger) : Infrastructure.Jobs.Dispatcher(signal, logger)
{
    public const string HttpClientName = "webhooks";
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    protected override TimeSpan PollInterval => options.Value.PollInterval;

    /// <summary>Sends one batch of due deliveries; returns how many it handled.</summary>
    public override async Task<int> DispatchBatchAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AccrueDb>();
        var now = clock.GetUtcNow();
        var due = await db.WebhookDeliveries.IgnoreQueryFilters()
            .Where(d => d.Status == WebhookDeliveryStatus.Pending && d.NextAttemptAt <= now && (d.LockedUntil == null || d.LockedUntil < now))
            .OrderBy(d => d.NextAttemptAt).Select(d => d.Id).Take(options.Value.BatchSize).ToListAsync(cancellationToken);
        if (due.Count == 0) return 0;

        var handled = 0;
        foreach (var id in due)
        {
            // Claim the row: only one instance's update matches. The list above may be stale by now (another
            // instance may have attempted the delivery and scheduled its retry meanwhile), so the claim checks
            // again, in the same statement, that the delivery is still pending, due and not leased.
            var claimAt = clock.GetUtcNow();
            var leasedUntil = claimAt + Lease;
            var claimed = await db.WebhookDeliveries.IgnoreQueryFilters()
                .Where(d => d.Id == id && d.Status == WebhookDeliveryStatus.Pending && d.NextAttemptAt <= claimAt
                    && (d.LockedUntil == null || d.LockedUntil < claimAt))
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.LockedUntil, leasedUntil), cancellationToken);
            if (claimed == 0) continue;

            var delivery = await db.WebhookDeliveries.IgnoreQueryFilters().SingleAsync(d => d.Id == id, cancellationToken);
            var endpoint = await db.WebhookEndpoints.IgnoreQueryFilters().AsNoTracking().SingleOrDefaultAsync(e => e.Id == delivery.EndpointId, cancellationToken);
            if (endpoint is null) continue;
            if (!endpoint.Enabled)
            {
                // Disabled while this was waiting: stop retrying; it can be replayed once the endpoint is enabled again.
                (delivery.Status, delivery.LastError, delivery.LockedUntil) = (WebhookDeliveryStatus.Failed, WebhookErrors.EndpointDisabled, null);
                await db.SaveChangesAsync(cancellationToken);
                continue;
            }
            await AttemptAsync(db, endpoint, delivery, cancellationToken);
            handled++;
        }
        return handled;
    }

    private async Task AttemptAsync(AccrueDb db, WebhookEndpoint endpoint, WebhookDelivery delivery, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var started = clock.GetUtcNow();
        var timestamp = started.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        int? status = null;
        string? error = null;
        Exception? exception = null;
        var watch = Stopwatch.StartNew();
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, endpoint.Url)
            {
                Content = new StringContent(delivery.Payload, Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("Accrue-Webhook-Id", delivery.EventId.ToString());
            request.Headers.Add("Accrue-Webhook-Event", delivery.EventType);
            request.Headers.Add("Accrue-Webhook-Timestamp", timestamp);
            request.Headers.Add("Accrue-Webhook-Signature", Signature(endpoint.Secret, timestamp, delivery.Payload));
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(settings.Timeout);
            var client = httpClients.CreateClient(HttpClientName);
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            status = (int)response.StatusCode;
            // Only the status code: the reason phrase and the body are the receiver's, and may describe its network.
            if (!response.IsSuccessStatusCode) error = WebhookErrors.HttpStatus;
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            (error, exception) = (WebhookErrors.Timeout, e);
        }
        catch (HttpRequestException e)
        {
            (error, exception) = (WebhookErrors.Classify(e), e);
        }
        watch.Stop();

        var now = clock.GetUtcNow();
        delivery.Attempts++;
        delivery.LastStatusCode = status;
        delivery.LastError = error;
        delivery.LockedUntil = null;
        if (error is null)
        {
            delivery.Status = WebhookDeliveryStatus.Succeeded;
            delivery.DeliveredAt = now;
        }
        else
        {
            var next = now + RetryDelay(delivery.Attempts, settings);
            if (next > delivery.RetryUntil) delivery.Status = WebhookDeliveryStatus.Failed;
            else delivery.NextAttemptAt = next;
            // The operator's log keeps the exception; the customer-visible log only the class.
            logger.LogWarning(exception, "Webhook {Delivery} to {Url} failed (attempt {Attempt}): {Error} {Status}", delivery.Id, endpoint.Url, delivery.Attempts, error, status);
        }
        db.WebhookAttempts.Add(new WebhookAttempt
        {
            DeliveryId = delivery.Id,
            OrganizationId = delivery.OrganizationId,
            ToOperator = delivery.ToOperator,
            At = started,
            StatusCode = status,
            Error = delivery.LastError,
            DurationMs = (int)Math.Min(watch.ElapsedMilliseconds, int.MaxValue),
        });
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>1 minute after the first failure, doubling after each further one, capped (6 hours by default).</summary>
    public static TimeSpan RetryDelay(int failedAttempts, WebhookOptions options)
    {
        var factor = Math.Pow(2, Math.Min(failedAttempts - 1, 30));
        var delay = TimeSpan.FromTicks((long)Math.Min(options.FirstRetryDelay.Ticks * factor, options.MaxRetryDelay.Ticks));
        return delay;
    }

    /// <summary><c>v1=</c> and the lowercase hex HMAC-SHA256 of <c>{timestamp}.{body}</c>, keyed with the whole secret's UTF-8 bytes.</summary>
    public static string Signature(string secret, string timestamp, string body) =>
        "v1=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}.{body}")));
}
