using System.Security.Cryptography;
using System.Text;
using Accrue.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Infrastructure.Web;

/// <summary>
/// The <c>Idempotency-Key</c> a request holds, on the request's <see cref="AccrueDb"/> (<see cref="AccrueDb.Claim"/>).
/// Two things hang on it. Every SaveChanges of the request marks the claim's row
/// <see cref="IdempotencyRecord.EffectCommitted"/> in the same transaction, so a failed request is known to
/// have written nothing (the claim is released) or something (the claim is kept, and a retry resumes).
/// And the effects a retry must not repeat carry <see cref="Reference"/> under a unique key of their own
/// (the order placed, the payment started, an operator's wallet posting), so a resumed request finds
/// and answers with them instead of doing them again.
/// </summary>
public sealed class IdempotencyClaim(string scope, string key)
{
    private bool _orderTaken;

    public string Scope { get; } = scope;
    public string Key { get; } = key;

    /// <summary>64 hex characters naming this caller's key, stamped on the effects (<c>Order.RequestKey</c>, <c>Payment.RequestKey</c>).</summary>
    public string Reference { get; } = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{scope}\n{key}")));

    /// <summary>The reference for the order this request places; only the first order of a request is its effect.</summary>
    public string? TakeOrderReference()
    {
        if (_orderTaken) return null;
        _orderTaken = true;
        return Reference;
    }

    /// <summary>Adds "this request's work committed" to the SaveChanges about to run (called by <see cref="AccrueDb"/>).</summary>
    internal void MarkEffect(AccrueDb db)
    {
        if (!db.ChangeTracker.HasChanges()) return;
        var entry = db.ChangeTracker.Entries<IdempotencyRecord>().FirstOrDefault(e => e.Entity.Scope == Scope && e.Entity.Key == Key)
            ?? db.Attach(new IdempotencyRecord { Scope = Scope, Key = Key, RequestHash = string.Empty });
        if (entry.State == EntityState.Added) return;
        entry.Entity.EffectCommitted = true;
        entry.Property(r => r.EffectCommitted).IsModified = true;
    }
}
