namespace Accrue.Web.Infrastructure.Auditing;

/// <summary>
/// A row the <see cref="AuditInterceptor"/> leaves out of the audit log: a queue or a log of its own
/// (outbox mail, webhook deliveries and attempts, which carry whole payloads), or plumbing whose
/// outcome is audited as what it stands for (sign-in attempts as User.SignedIn / SignInLocked,
/// sessions as sign-in and sign-out, Idempotency-Key claims as the work they guard).
/// </summary>
public interface INotAudited;
