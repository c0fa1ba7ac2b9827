using System.Diagnostics.CodeAnalysis;

namespace Accrue.Domain.Common;

/// <summary>
/// An expected failure: what the user did wrong, said in their words. Field errors name the input
/// they belong to so forms can show them beside the field and the API as ProblemDetails errors.
/// <see cref="Code"/> is the stable machine-readable name of the failure (<c>seats_below_assigned</c>,
/// <c>card_declined</c>) that API clients switch on; set it with <c>Failure.Conflict("…") with { Code = "…" }</c>.
/// </summary>
public sealed record Failure(FailureKind Kind, string Message, IReadOnlyDictionary<string, string[]>? Errors = null)
{
    public string? Code { get; init; }
    /// <summary>For <see cref="FailureKind.TooManyRequests"/>: how long until the request may succeed (the <c>Retry-After</c> header).</summary>
    public TimeSpan? RetryAfter { get; init; }

    public static Failure NotFound(string what) => new(FailureKind.NotFound, $"{what} was not found.");
    public static Failure Forbidden(string message) => new(FailureKind.Forbidden, message);
    public static Failure Conflict(string message) => new(FailureKind.Conflict, message);
    /// <summary>Refused without looking at the request because of too many recent failures (wrong voucher codes).</summary>
    public static Failure TooManyRequests(string message) => new(FailureKind.TooManyRequests, message);
    public static Failure Invalid(string field, string message) =>
        new(FailureKind.Invalid, message, new Dictionary<string, string[]> { [field] = [message] });
    public static Failure Invalid(IReadOnlyDictionary<string, string[]> errors) =>
        new(FailureKind.Invalid, "One or more fields are invalid.", errors);
}

public enum FailureKind { Invalid, NotFound, Forbidden, Conflict, TooManyRequests }

/// <summary>
/// The outcome of a use case: a value or a <see cref="Failure"/>. The compiler knows which is set:
/// after <c>if (result.Failed(out var failure)) return …;</c> (or a true <see cref="Succeeded"/>),
/// <see cref="Value"/> is not null.
/// </summary>
public readonly record struct Result<T>
{
    private Result(T? value, Failure? failure) => (Value, Failure) = (value, failure);

    public T? Value { get; }
    public Failure? Failure { get; }

    [MemberNotNullWhen(true, nameof(Value))]
    [MemberNotNullWhen(false, nameof(Failure))]
    public bool Succeeded => Failure is null;

    [MemberNotNullWhen(false, nameof(Value))]
    public bool Failed([NotNullWhen(true)] out Failure? failure)
    {
        failure = Failure;
        return failure is not null;
    }

    public static implicit operator Result<T>(T value) => new(value, null);
    public static implicit operator Result<T>(Failure failure) => new(default, failure);
}

/// <summary>Collects field errors; empty when the input is valid.</summary>
public sealed class FieldErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool Any => _errors.Count > 0;

    public FieldErrors Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list)) _errors[field] = list = [];
        list.Add(message);
        return this;
    }

    public FieldErrors Require(string field, string? value, string label, int maxLength = 200)
    {
        if (string.IsNullOrWhiteSpace(value)) return Add(field, $"{label} is required.");
        if (value.Length > maxLength) Add(field, $"{label} must be at most {maxLength} characters.");
        return this;
    }

    public FieldErrors Limit(string field, string? value, string label, int maxLength)
    {
        if (value is not null && value.Length > maxLength) Add(field, $"{label} must be at most {maxLength} characters.");
        return this;
    }

    public Failure ToFailure() => Failure.Invalid(_errors.ToDictionary(e => e.Key, e => e.Value.ToArray()));
}
