using System.Net;
using System.Net.Sockets;
using Accrue.Domain.Accounts;
using Accrue.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Accrue.Web.Infrastructure.Security;

/// <summary>Configuration section "Security": the sign-in lock-out.</summary>
public sealed class SignInLockoutOptions
{
    /// <summary>Wrong passwords for one account from one source before that source is locked out of it.</summary>
    public int LockoutFailures { get; set; } = 5;
    public int LockoutMinutes { get; set; } = 15;
}

/// <summary>One failed (or, while it runs, pending) password check for an email address from a source.</summary>
public sealed class SignInAttempt : Auditing.INotAudited
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    /// <summary>The email address as typed, normalized; the same whether or not an account has it.</summary>
    public required string Account { get; init; }
    public required string Source { get; init; }
    public DateTimeOffset At { get; init; }
}

/// <summary>
/// Locks sign-in per account <em>and</em> source (issue 15 A12): five wrong passwords for an address from one
/// source lock that source out of that address for 15 minutes, while the account still signs in from anywhere
/// else, so nobody can lock a stranger out by typing their email. Unknown addresses are counted exactly like
/// known ones, so the answers (the "locked" one included) never tell whether an account exists.
/// Attempts are rows, written and committed before the password is checked (as voucher attempts are): a burst
/// of concurrent tries sees itself, and at most the limit get a password check.
/// </summary>
public sealed class SignInLockout(AccrueDb db, TimeProvider clock, IOptions<SignInLockoutOptions> options)
{
    public sealed record Attempt(Guid Id, string Account, string Source, int EarlierFailures, TimeSpan? LockedFor);

    public int MaxFailures => Math.Max(1, options.Value.LockoutFailures);
    public TimeSpan Window => TimeSpan.FromMinutes(Math.Max(1, options.Value.LockoutMinutes));

    /// <summary>
    /// Records an attempt and tells whether its source is already locked out of the account. A locked attempt is
    /// taken back at once, so trying again while locked does not prolong the lock.
    /// </summary>
    public async Task<Attempt> BeginAsync(string email, string source, CancellationToken ct = default)
    {
        var account = Normalize(email);
        var now = clock.GetUtcNow();
        var row = new SignInAttempt { Account = account, Source = source, At = now };
        db.SignInAttempts.Add(row);
        await db.SaveChangesAsync(ct);
        db.Entry(row).State = EntityState.Detached;
        var since = now - Window;
        var earlier = await db.SignInAttempts.AsNoTracking()
            .Where(a => a.Account == account && a.Source == source && a.At > since && a.Id != row.Id)
            .Select(a => a.At).ToListAsync(ct);
        if (earlier.Count < MaxFailures) return new Attempt(row.Id, account, source, earlier.Count, null);
        await ForgetAsync(row.Id);
        // Free again when enough of the window's oldest failures have aged out.
        var freedAt = earlier.Order().ElementAt(earlier.Count - MaxFailures) + Window;
        return new Attempt(row.Id, account, source, earlier.Count, freedAt > now ? freedAt - now : TimeSpan.FromSeconds(1));
    }

    /// <summary>The password was right: this source's failures for the account are forgotten.</summary>
    public Task SucceededAsync(Attempt attempt) =>
        db.SignInAttempts.Where(a => a.Account == attempt.Account && a.Source == attempt.Source).ExecuteDeleteAsync(CancellationToken.None);

    /// <summary>The attempt didn't check a password (locked, throttled): it doesn't count.</summary>
    public Task ForgetAsync(Guid attemptId) => db.SignInAttempts.Where(a => a.Id == attemptId).ExecuteDeleteAsync(CancellationToken.None);

    /// <summary>The owner proved they hold the mailbox (a reset or a restored email): every lock on the address is lifted.</summary>
    public Task ClearAsync(string email, CancellationToken ct = default)
    {
        var account = Normalize(email);
        return db.SignInAttempts.Where(a => a.Account == account).ExecuteDeleteAsync(ct);
    }

    /// <summary>Deletes attempts older than the window; returns how many.</summary>
    public Task<int> PruneAsync(CancellationToken ct)
    {
        var cutoff = clock.GetUtcNow() - Window;
        return db.SignInAttempts.Where(a => a.At < cutoff).ExecuteDeleteAsync(ct);
    }

    public static string Normalize(string email)
    {
        var trimmed = email.Trim();
        var normalized = EmailAddress.IsValid(trimmed) ? EmailAddress.Normalize(trimmed) : trimmed.ToLowerInvariant();
        return normalized.Length > 254 ? normalized[..254] : normalized;
    }
}

/// <summary>
/// Where a sign-in comes from: the client's address as the forwarded-headers middleware leaves it (the proxy's
/// X-Forwarded-For when the proxy is trusted), IPv6 clients by their /64 (one subscriber's network), and a fixed
/// value when the server knows no address (an in-process host).
/// </summary>
public static class SignInSource
{
    public const string Unknown = "unknown";

    public static string Of(HttpContext context) => Of(context.Connection.RemoteIpAddress);

    public static string Of(IPAddress? address)
    {
        if (address is null) return Unknown;
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return address.ToString();
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }
}
