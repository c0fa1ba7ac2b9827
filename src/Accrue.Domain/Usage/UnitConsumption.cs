namespace Accrue.Domain.Usage;

/// <summary>How one usage event drains a balance: from the units left, then as overage where the meter allows it.</summary>
public static class UnitConsumption
{
    /// <summary>
    /// The units taken from <paramref name="balance"/> and those counted as overage; null when the
    /// balance doesn't cover <paramref name="quantity"/> and the meter refuses overage. The balance never goes below zero.
    /// </summary>
    public static (long FromBalance, long Overage)? Consume(long balance, long quantity, bool allowOverage)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(quantity);
        ArgumentOutOfRangeException.ThrowIfNegative(balance);
        if (balance >= quantity) return (quantity, 0);
        return allowOverage ? (balance, quantity - balance) : null;
    }
}
