using System.Threading.RateLimiting;

namespace Accrue.Web.Infrastructure.Security;

/// <summary>
/// Limits sign-in attempts per client IP and per account, on top of Identity's lockout
/// (5 failures → 15 minutes), so one address can't spray many accounts and many addresses can't
/// hammer one account.
/// </summary>
public sealed class SignInThrottle : IDisposable
{
    private readonly PartitionedRateLimiter<string> _perIp;
    private readonly PartitionedRateLimiter<string> _perAccount;

    public SignInThrottle(int perIpPerMinute, int perAccountPerMinute)
    {
        _perIp = Window(perIpPerMinute);
        _perAccount = Window(perAccountPerMinute);
    }

    public bool TryAcquire(string? ip, string account)
    {
        using var byIp = _perIp.AttemptAcquire(ip ?? "unknown");
        if (!byIp.IsAcquired) return false;
        using var byAccount = _perAccount.AttemptAcquire(account.Trim().ToUpperInvariant());
        return byAccount.IsAcquired;
    }

    private static PartitionedRateLimiter<string> Window(int permits) =>
        PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(key, _ =>
            new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));

    public void Dispose()
    {
        _perIp.Dispose();
        _perAccount.Dispose();
    }
}
