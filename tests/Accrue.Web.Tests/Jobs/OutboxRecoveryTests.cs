using System.Net;
using System.Net.Sockets;
using Accrue.Web.Data;
using Accrue.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Tests.Jobs;

/// <summary>An SMTP relay on a loopback port that refuses connections until started, then forwards to maildev.</summary>
public sealed class SmtpRelay : IAsyncDisposable
{
    public int Port { get; } = FreePort();
    private TcpListener? _listener;
    private readonly CancellationTokenSource _stop = new();

    private static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    public void Start()
    {
        _listener = new TcpListener(IPAddress.Loopback, Port);
        _listener.Start();
        _ = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                _ = Task.Run(async () =>
                {
                    using var inbound = client;
                    using var outbound = new TcpClient();
                    await outbound.ConnectAsync(Environment.GetEnvironmentVariable("ACCRUE_TEST_SMTP_HOST") ?? "127.0.0.1",
                        int.Parse(Environment.GetEnvironmentVariable("ACCRUE_TEST_SMTP_PORT") ?? "25", System.Globalization.CultureInfo.InvariantCulture));
                    await Task.WhenAny(inbound.GetStream().CopyToAsync(outbound.GetStream()), outbound.GetStream().CopyToAsync(inbound.GetStream()));
                });
            }
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener?.Stop();
        _stop.Dispose();
    }
}

public sealed class RelaySqliteApp : ClockedSqliteApp
{
    public SmtpRelay Relay { get; } = new();
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Email:Smtp:Port"] = Relay.Port.ToString(System.Globalization.CultureInfo.InvariantCulture) };
    public override async ValueTask DisposeAsync() { await Relay.DisposeAsync(); await base.DisposeAsync(); }
}

public sealed class RelayPostgresApp : ClockedPostgresApp
{
    public SmtpRelay Relay { get; } = new();
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Email:Smtp:Port"] = Relay.Port.ToString(System.Globalization.CultureInfo.InvariantCulture) };
    public override async ValueTask DisposeAsync() { await Relay.DisposeAsync(); await base.DisposeAsync(); }
}

public abstract class OutboxRecoveryTests(AccrueApp app, MovableClock clock, SmtpRelay relay)
{
    [Fact]
    public async Task A_message_that_failed_while_smtp_was_down_is_retried_with_back_off_and_delivered_once_it_is_up()
    {
        var to = $"{Http.Unique("outbox-retry")}@example.test";
        var now = clock.GetUtcNow();
        await app.DbAsync(db =>
        {
            db.Outbox.Add(new OutboxMessage { Template = "test", To = to, Subject = "Back-off then delivered", TextBody = "x", HtmlBody = "x", CreatedAt = now, NextAttemptAt = now });
            return db.SaveChangesAsync();
        });

        OutboxMessage? row = null;
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while ((row = await app.DbAsync(db => db.Outbox.AsNoTracking().SingleAsync(m => m.To == to))).Attempts < 1 && DateTime.UtcNow < deadline) await Task.Delay(200);
        Assert.Equal(1, row.Attempts);
        Assert.Equal(OutboxStatus.Pending, row.Status);
        Assert.False(string.IsNullOrEmpty(row.LastError));
        Assert.True(row.NextAttemptAt >= now.AddSeconds(15));

        // Up again, but the back-off still holds the message until its next attempt is due.
        relay.Start();
        await Task.Delay(1000);
        Assert.Equal(OutboxStatus.Pending, (await app.DbAsync(db => db.Outbox.AsNoTracking().SingleAsync(m => m.To == to))).Status);

        clock.Advance(TimeSpan.FromSeconds(20));
        var message = await MailDev.WaitForAsync(to, "Back-off then delivered");
        Assert.Single(await MailDev.ToAsync(to));
        row = await app.DbAsync(db => db.Outbox.AsNoTracking().SingleAsync(m => m.To == to));
        Assert.Equal(OutboxStatus.Sent, row.Status);
        Assert.NotNull(message);
    }
}

public sealed class OutboxRecoveryTestsOnSqlite(RelaySqliteApp app) : OutboxRecoveryTests(app, app.Clock, app.Relay), IClassFixture<RelaySqliteApp>;

public sealed class OutboxRecoveryTestsOnPostgres(RelayPostgresApp app) : OutboxRecoveryTests(app, app.Clock, app.Relay), IClassFixture<RelayPostgresApp>;
