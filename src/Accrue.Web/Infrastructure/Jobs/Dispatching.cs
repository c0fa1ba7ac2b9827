namespace Accrue.Web.Infrastructure.Jobs;

/// <summary>Wakes a dispatcher as soon as new work is committed instead of at its next poll.</summary>
public abstract class WakeSignal
{
    private readonly SemaphoreSlim _signal = new(0, 1);
    private int _queued;

    /// <summary>Whether saving <paramref name="row"/> queues work for this signal's dispatcher (an outbox message, a webhook delivery).</summary>
    public abstract bool IsQueuedBy(object row);

    /// <summary>Work was added to the context; <see cref="WakeIfQueued"/> after the commit wakes the dispatcher.</summary>
    public void NoteQueued() => Interlocked.Exchange(ref _queued, 1);

    public void WakeIfQueued()
    {
        if (Interlocked.Exchange(ref _queued, 0) == 1) Wake();
    }

    public void Wake()
    {
        if (_signal.CurrentCount == 0)
        {
            try { _signal.Release(); } catch (SemaphoreFullException) { }
        }
    }

    public Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _signal.WaitAsync(timeout, cancellationToken);
}

/// <summary>
/// Sends what a table of leased rows holds (the email outbox, webhook deliveries): batch after batch
/// while there is work, then waits for a wake-up or the next poll.
/// </summary>
public abstract class Dispatcher(WakeSignal signal, ILogger logger) : BackgroundService
{
    protected abstract TimeSpan PollInterval { get; }

    /// <summary>Sends one batch of due rows; returns how many it handled.</summary>
    public abstract Task<int> DispatchBatchAsync(CancellationToken cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await DispatchBatchAsync(stoppingToken) > 0) { }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "{Dispatcher} failed; retrying at the next poll", GetType().Name);
            }
            try { await signal.WaitAsync(PollInterval, stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }
}
